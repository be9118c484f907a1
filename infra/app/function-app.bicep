// The Functions host on Flex Consumption (FC1, Linux, .NET 10 isolated worker) running as the user-assigned identity.
// Every connection is identity-based: AzureWebJobsStorage and the trigger's SubmissionsStorage use service URIs plus
// the identity's client id, Application Insights uses Entra authentication, SMTP credentials are Key Vault references.
param name string
param planName string
param location string
param tags object
param identityId string
param identityClientId string
param hostStorageName string
param deploymentContainerName string
param dataBlobEndpoint string
param dataQueueEndpoint string
param applicationInsightsConnectionString string
param sqlServerFqdn string
param sqlDatabaseName string
param keyVaultName string

@description('SMTP relay for alert emails; empty writes them as .eml files to the data account\'s outbox container.')
param smtpHost string = ''
param smtpPort int = 587
param smtpUserName string = ''
param mailFrom string = ''

@description('URL alert emails link reports under (Pipeline:Reports:BaseUrl); empty: the data account\'s reports container URL.')
param reportsBaseUrl string = ''

@description('Upper bound on instances: the monthly load is small, this caps cost and SQL concurrency.')
param maximumInstanceCount int = 40

@allowed([
  2048
  4096
])
param instanceMemoryMB int = 2048

resource hostStorage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: hostStorageName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

var hostSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: hostStorage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: hostStorage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: hostStorage.properties.primaryEndpoints.table
  // The blob trigger's connection (ProcessSubmission.Connection): the data account, whose queue service holds the
  // trigger's work and poison queues.
  SubmissionsStorage__credential: 'managedidentity'
  SubmissionsStorage__clientId: identityClientId
  SubmissionsStorage__blobServiceUri: dataBlobEndpoint
  SubmissionsStorage__queueServiceUri: dataQueueEndpoint
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  // DefaultAzureCredential picks the user-assigned identity from this.
  AZURE_CLIENT_ID: identityClientId
}

var pipelineSettings = {
  Pipeline__Storage__BlobServiceUri: dataBlobEndpoint
  Pipeline__Storage__ManagedIdentityClientId: identityClientId
  Pipeline__Store__Provider: 'sqlserver'
  // The standard Entra form; the store turns it into an Azure.Identity token for this user-assigned identity
  // (SqlConnection.AccessTokenCallback), as SqlClient 7 cannot act on the Authentication keyword itself (docs/deploy.md §4).
  Pipeline__Store__ConnectionString: 'Server=tcp:${sqlServerFqdn},1433;Database=${sqlDatabaseName};Authentication=Active Directory Managed Identity;User Id=${identityClientId};Encrypt=True;Connect Timeout=60'
  Pipeline__Mail__SmtpHost: smtpHost
  Pipeline__Mail__SmtpPort: string(smtpPort)
  Pipeline__Mail__UserName: smtpUserName
  Pipeline__Mail__FromAddress: mailFrom
  // Resolved by the platform with the identity below; the secret itself is set by the platform engineer.
  Pipeline__Mail__Password: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=smtp-password)'
  // Alert emails link {scope}/{code}/{period}/equity-report.html under this URL. Empty: the data account's reports
  // container (the pipeline derives it; private, so readers sign in with Entra ID), else a front end serving it.
  Pipeline__Reports__BaseUrl: reportsBaseUrl
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the service to deploy to by this tag (azure.yaml: services.functions).
  tags: union(tags, {
    'azd-service-name': 'functions'
  })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostStorage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }

  resource settings 'config' = {
    name: 'appsettings'
    properties: union(hostSettings, pipelineSettings)
  }
}

// Basic-auth publishing credentials off: deployments use Entra (azd, Azure/functions-action with OIDC).
resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

output name string = site.name
output id string = site.id
output defaultHostName string = site.properties.defaultHostName
