// Per-trust upload rights on the data account: Storage Blob Data Contributor with an ABAC condition (Azure role
// assignment conditions, version 2.0; pattern from learn.microsoft.com/azure/storage/blobs/storage-auth-abac-examples),
// so a trust's principal can only
//   - create blobs under submissions/<trust>/ (write, add),
//   - read and list its own submissions/<trust>/ and reports/<trust>/ (its uploads and their receipts),
//   - delete nothing.
// Conditions apply only to Entra-authorised requests; the data account refuses shared-key access, so there is no way
// around them. Onboarding a trust = one entry in infra/trusts.json (docs/deploy.md).

@export()
@description('A trust allowed to upload: its ODS code (the folder name under submissions/) and an Entra principal.')
type trustUploader = {
  @description('ODS organisation code, upper case, e.g. RXX.')
  trustCode: string

  @description('Object id of the trust\'s uploader: a security group of the trust\'s staff (B2B guests), a user or a service principal.')
  principalId: string

  principalType: ('Group' | 'User' | 'ServicePrincipal')?
}

param dataStorageName string
param trusts trustUploader[]

var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

// __TRUST__ is replaced by the trust's code (format() cannot be used: the condition language itself uses braces).
var conditionTemplate = '''
(
 (
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})
  AND
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action'})
 )
 OR
 (
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'submissions'
  AND
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '__TRUST__/'
 )
)
AND
(
 (
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})
 )
 OR
 (
  (
   @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'submissions'
   OR
   @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'reports'
  )
  AND
  @Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringStartsWith '__TRUST__/'
 )
)
AND
(
 (
  !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND SubOperationMatches{'Blob.List'})
 )
 OR
 (
  (
   @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'submissions'
   OR
   @Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'reports'
  )
  AND
  @Request[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:prefix] StringStartsWith '__TRUST__/'
 )
)
AND
(
 !(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete'})
)
'''

resource dataStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: dataStorageName
}

resource uploads 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for trust in trusts: {
  name: guid(dataStorage.id, trust.principalId, trust.trustCode, 'trust-upload')
  scope: dataStorage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: trust.principalId
    principalType: trust.?principalType ?? 'Group'
    description: 'Trust ${trust.trustCode}: upload to submissions/${trust.trustCode}/, read its receipts, delete nothing.'
    conditionVersion: '2.0'
    condition: replace(conditionTemplate, '__TRUST__', trust.trustCode)
  }
}]

output trustCodes string[] = [for trust in trusts: trust.trustCode]
