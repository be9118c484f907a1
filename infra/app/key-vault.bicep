// Secrets the pipeline cannot avoid (SMTP credentials), read by the app through Key Vault references with its managed
// identity (Key Vault Secrets User, see rbac.bicep). Access is RBAC-only; purge protection keeps a deleted secret
// recoverable. No secret value is set here: the platform engineer sets it (docs/deploy.md), so none is in the repository.
param name string
param location string
param tags object

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
