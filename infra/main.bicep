// The regional maternity equity pipeline in Azure: one resource group holding the data account (trusts' originals,
// receipts, lake), the Functions host on Flex Consumption with its own storage and identity, Azure SQL, Key Vault and
// monitoring. Deploy in two phases (docs/deploy.md): first with deployEventSubscription=false, then deploy the code,
// then again with deployEventSubscription=true to connect blob events to the function.
targetScope = 'subscription'

@minLength(1)
@maxLength(40)
@description('Environment name (azd environment), e.g. "nhs-ne-prod"; part of every resource name.')
param environmentName string

@minLength(1)
@description('Azure region; UK South keeps data in the UK and has availability zones.')
param location string

@description('Second phase: create the Event Grid subscription to the function (needs the code deployed and running).')
param deployEventSubscription bool = false

@description('Object id of whoever deploys (azd: AZURE_PRINCIPAL_ID); they get Blob Data Contributor on the data account to upload a test file. Empty: none.')
param deployerPrincipalId string = ''

@allowed([
  'User'
  'ServicePrincipal'
  'Group'
])
param deployerPrincipalType string = 'User'

@description('Entra administrator of Azure SQL (display name). Empty: the app\'s managed identity administers the server.')
param sqlAdministratorName string = ''

@description('Object id of the Entra administrator of Azure SQL (a platform engineers\' group in production).')
param sqlAdministratorObjectId string = ''

@allowed([
  'User'
  'Group'
  'Application'
])
param sqlAdministratorType string = 'Group'

@description('SMTP relay for alert emails; empty keeps emails as .eml files in the outbox container.')
param smtpHost string = ''
param smtpPort int = 587
param smtpUserName string = ''
param mailFrom string = ''

@description('URL alert emails link reports under (Pipeline:Reports:BaseUrl): a static website, Front Door or CDN serving the reports container; empty: the reports container\'s own URL (readers need Entra access to the data account).')
param reportsBaseUrl string = ''

@description('Mailbox for operational alerts (failed functions, dead-lettered events); empty: no alerts.')
param operationsEmail string = ''

@description('Write-once retention of trusts\' originals, in days (2557 = 7 years); 0 turns it off.')
@minValue(0)
param submissionsRetentionDays int = 2557

@description('CanNotDelete lock on the data account.')
param lockDataAccount bool = true

// Trusts allowed to upload, reviewed like code: infra/trusts.json (see docs/deploy.md, "Onboarding a trust").
var trusts = loadJsonContent('trusts.json').trusts

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
  workload: 'maternity-equity-pipeline'
}
var deploymentContainerName = 'app-package'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'app/identity.bicep' = {
  scope: rg
  name: 'identity'
  params: {
    name: 'id-pipeline-${token}'
    location: location
    tags: tags
  }
}

module monitoring 'app/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: {
    logAnalyticsName: 'log-${token}'
    applicationInsightsName: 'appi-${token}'
    location: location
    tags: tags
  }
}

module dataStorage 'app/storage-data.bicep' = {
  scope: rg
  name: 'storage-data'
  params: {
    name: 'stdata${take(token, 13)}'
    location: location
    tags: tags
    submissionsRetentionDays: submissionsRetentionDays
    lockAccount: lockDataAccount
  }
}

module hostStorage 'app/storage-host.bicep' = {
  scope: rg
  name: 'storage-host'
  params: {
    name: 'sthost${take(token, 13)}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
  }
}

module vault 'app/key-vault.bicep' = {
  scope: rg
  name: 'key-vault'
  params: {
    name: 'kv-${take(token, 13)}'
    location: location
    tags: tags
  }
}

module sql 'app/sql.bicep' = {
  scope: rg
  name: 'sql'
  params: {
    serverName: 'sql-${token}'
    databaseName: 'pipeline'
    location: location
    tags: tags
    administratorName: empty(sqlAdministratorObjectId) ? identity.outputs.name : sqlAdministratorName
    administratorObjectId: empty(sqlAdministratorObjectId) ? identity.outputs.principalId : sqlAdministratorObjectId
    administratorType: empty(sqlAdministratorObjectId) ? 'Application' : sqlAdministratorType
  }
}

module rbac 'app/rbac.bicep' = {
  scope: rg
  name: 'rbac'
  params: {
    appPrincipalId: identity.outputs.principalId
    hostStorageName: hostStorage.outputs.name
    dataStorageName: dataStorage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    keyVaultName: vault.outputs.name
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
  }
}

module trustAccess 'app/trust-upload-access.bicep' = {
  scope: rg
  name: 'trust-upload-access'
  params: {
    dataStorageName: dataStorage.outputs.name
    trusts: trusts
  }
}

module functionApp 'app/function-app.bicep' = {
  scope: rg
  name: 'function-app'
  dependsOn: [
    // The host reads its storage and Key Vault references with the identity as soon as it starts.
    rbac
  ]
  params: {
    name: 'func-pipeline-${token}'
    planName: 'plan-pipeline-${token}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    hostStorageName: hostStorage.outputs.name
    deploymentContainerName: deploymentContainerName
    dataBlobEndpoint: dataStorage.outputs.blobEndpoint
    dataQueueEndpoint: dataStorage.outputs.queueEndpoint
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    sqlServerFqdn: sql.outputs.fullyQualifiedDomainName
    sqlDatabaseName: sql.outputs.databaseName
    keyVaultName: vault.outputs.name
    smtpHost: smtpHost
    smtpPort: smtpPort
    smtpUserName: smtpUserName
    mailFrom: mailFrom
    reportsBaseUrl: reportsBaseUrl
  }
}

module alerts 'app/alerts.bicep' = if (!empty(operationsEmail)) {
  scope: rg
  name: 'alerts'
  params: {
    location: location
    tags: tags
    applicationInsightsId: monitoring.outputs.applicationInsightsId
    operationsEmail: operationsEmail
  }
}

module eventGrid 'app/event-grid.bicep' = if (deployEventSubscription) {
  scope: rg
  name: 'event-grid'
  params: {
    location: location
    tags: tags
    topicName: 'evgt-submissions-${token}'
    dataStorageName: dataStorage.outputs.name
    functionAppName: functionApp.outputs.name
    actionGroupId: alerts.?outputs.actionGroupId ?? ''
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output AZURE_DATA_STORAGE_ACCOUNT string = dataStorage.outputs.name
output AZURE_DATA_BLOB_ENDPOINT string = dataStorage.outputs.blobEndpoint
output AZURE_SQL_SERVER string = sql.outputs.fullyQualifiedDomainName
output AZURE_SQL_DATABASE string = sql.outputs.databaseName
output AZURE_KEY_VAULT_NAME string = vault.outputs.name
output APP_IDENTITY_NAME string = identity.outputs.name
output APP_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output APP_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output ONBOARDED_TRUSTS string[] = trustAccess.outputs.trustCodes
