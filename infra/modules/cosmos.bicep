// Cosmos DB for NoSQL: the account, the database and every container the code uses.
// The container list must equal Shared.Infrastructure/Cosmos/CosmosContainers.cs (a test checks it).
// Keyless: local (key) auth is disabled; the apps' managed identities get the built-in Data Contributor role.

@description('Account name (globally unique).')
param accountName string

param location string = resourceGroup().location

@description('Database name; the apps read it from Cosmos__Database.')
param databaseName string = 'serverless'

@description('Principal ids (managed identities) that read and write data.')
param dataContributorPrincipalIds array = []

@description('Serverless capacity suits spiky per-use traffic; set false for provisioned autoscale.')
param serverless bool = true

var containers = [
  { name: 'tenants', paths: ['/tenantId'] }
  { name: 'users', paths: ['/tenantId', '/userId'] }
  { name: 'lookups', paths: ['/tenantId', '/lookupKey'] }
  { name: 'usage', paths: ['/tenantId', '/userId'] }
  { name: 'insights', paths: ['/tenantId', '/day'] }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: accountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [ { locationName: location, failoverPriority: 0, isZoneRedundant: false } ]
    capabilities: serverless ? [ { name: 'EnableServerless' } ] : []
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: { resource: { id: databaseName } }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for c in containers: {
  parent: database
  name: c.name
  properties: {
    resource: {
      id: c.name
      partitionKey: length(c.paths) > 1 ? { paths: c.paths, kind: 'MultiHash', version: 2 } : { paths: c.paths, kind: 'Hash' }
      defaultTtl: -1
    }
  }
}]

// Built-in "Cosmos DB Built-in Data Contributor" data-plane role.
var dataContributorRoleId = '00000000-0000-0000-0000-000000000002'

resource dataContributors 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = [for principalId in dataContributorPrincipalIds: {
  parent: account
  name: guid(account.id, principalId, dataContributorRoleId)
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${dataContributorRoleId}'
    principalId: principalId
    scope: account.id
  }
}]

output endpoint string = account.properties.documentEndpoint
output databaseName string = databaseName
