// Azure SQL for the store regional analysts query. Entra-only authentication: there is no SQL login or password
// anywhere. The server's Entra administrator is the given principal (a platform engineers' group in production) or,
// when none is given, the app's own identity so a first deployment works end to end. With a group, the deployment's
// database step (infra/scripts/prepare-database.sh: `pipeline migrate --app-user`) makes the app a database user.
param serverName string
param databaseName string
param location string
param tags object

@description('Display name of the Entra administrator.')
param administratorName string

@description('Object id of the Entra administrator (user, group or the app identity\'s principal id).')
param administratorObjectId string

@allowed([
  'User'
  'Group'
  'Application'
])
param administratorType string

@description('Serverless General Purpose: pauses when idle, which suits a monthly batch workload.')
param skuName string = 'GP_S_Gen5_1'

resource server 'Microsoft.Sql/servers@2023-08-01' = {
  name: serverName
  location: location
  tags: tags
  properties: {
    minimalTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    administrators: {
      administratorType: 'ActiveDirectory'
      azureADOnlyAuthentication: true
      login: administratorName
      sid: administratorObjectId
      principalType: administratorType
      tenantId: tenant().tenantId
    }
  }
}

// Lets Azure services (the Flex Consumption app has no fixed outbound address) reach the server; access still needs
// an Entra token. Replace with a private endpoint and VNet integration where policy requires it.
resource azureServices 'Microsoft.Sql/servers/firewallRules@2023-08-01' = {
  parent: server
  name: 'AllowAllWindowsAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource database 'Microsoft.Sql/servers/databases@2023-08-01' = {
  parent: server
  name: databaseName
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: 'GeneralPurpose'
  }
  properties: {
    autoPauseDelay: 60
    minCapacity: json('0.5')
    zoneRedundant: false
  }
}

output serverName string = server.name
output fullyQualifiedDomainName string = server.properties.fullyQualifiedDomainName
output databaseName string = database.name
