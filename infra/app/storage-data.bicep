// The pipeline's data account: trusts' originals, receipts, the Parquet lake, quarantine, the .eml outbox and the drain lock.
// "Nothing lost": flat namespace (blob versioning is not generally available with a hierarchical namespace), versioning,
// blob and container soft delete, no shared-key access (every request is Entra-authorised, so the per-trust ABAC
// conditions in trust-upload-access.bicep always apply) and, on `submissions`, a version-level WORM policy so an
// original can never be overwritten or deleted while its retention runs.
param name string
param location string
param tags object

@description('Days a deleted blob or container stays recoverable.')
@minValue(1)
@maxValue(365)
param softDeleteDays int = 30

@description('Write-once retention of trusts\' originals in days; 0 turns the WORM policy off.')
@minValue(0)
param submissionsRetentionDays int = 2557

@description('Put a CanNotDelete lock on the account, so the lake and the originals cannot be deleted with the resource group.')
param lockAccount bool = true

@description('Replication: zone-redundant by default (UK South has zones).')
param skuName string = 'Standard_ZRS'

var areas = [
  'reports'
  'lake'
  'quarantine'
  'outbox'
  'eventgrid-deadletter'
  // One empty blob, locks/drain, whose lease lets one Function instance at a time drain the drop (docs/ingest-and-storage.md).
  'locks'
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    isHnsEnabled: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    isVersioningEnabled: true
    changeFeed: {
      enabled: true
    }
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
  }
}

resource submissions 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: 'submissions'
  properties: {
    publicAccess: 'None'
    // Version-level immutability support: each version of an original can carry its own retention.
    immutableStorageWithVersioning: {
      enabled: submissionsRetentionDays > 0
    }
  }
}

// The container's default policy, applied to every new version. Left unlocked so the period can be corrected after
// review; lock it (irreversibly) with `az storage container immutability-policy lock` once agreed (docs/deploy.md).
resource submissionsRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = if (submissionsRetentionDays > 0) {
  parent: submissions
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: submissionsRetentionDays
    allowProtectedAppendWrites: false
  }
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for area in areas: {
  parent: blobs
  name: area
  properties: {
    publicAccess: 'None'
  }
}]

resource lock 'Microsoft.Authorization/locks@2020-05-01' = if (lockAccount) {
  scope: account
  name: '${name}-cannot-delete'
  properties: {
    level: 'CanNotDelete'
    notes: 'Holds trusts\' originals and the lake: remove this lock deliberately before deleting the account.'
  }
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
