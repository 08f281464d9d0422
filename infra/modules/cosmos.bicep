// Cosmos DB for NoSQL: the account, the database and every container the code uses. The apps create nothing at
// startup in Azure (data-plane RBAC cannot create databases or containers; their CreateIfNotExists calls only read
// what is declared here), so this list must equal Shared.Infrastructure/Cosmos/CosmosContainers.cs (a test checks it).
// Keyless: local (key) auth is disabled; the apps' managed identities get the built-in Data Contributor role.

import { cosmosDataRoleIds } from '../roles.bicep'

@description('Account name (globally unique).')
param accountName string

param location string

@description('Database name; the apps read it from Cosmos__Database.')
param databaseName string = 'serverless'

@description('Principal ids (managed identities) that read and write data.')
param dataContributorPrincipalIds array

@description('Serverless capacity suits spiky per-use traffic; set false for provisioned throughput.')
param serverless bool = true

var containers = [
  { name: 'tenants', paths: ['/tenantId'], compositeIndexes: [] }
  { name: 'users', paths: ['/tenantId', '/userId'], compositeIndexes: [] }
  { name: 'lookups', paths: ['/tenantId', '/lookupKey'], compositeIndexes: [] }
  { name: 'usage', paths: ['/tenantId', '/userId'], compositeIndexes: [] }
  { name: 'insights', paths: ['/tenantId', '/day'], compositeIndexes: [] }
  { name: 'billing', paths: ['/tenantId', '/userId'], compositeIndexes: [] }
  { name: 'audit', paths: ['/tenantId', '/month'], compositeIndexes: [] }
  { name: 'offers', paths: ['/tenantId', '/offerId'], compositeIndexes: [] }
  { name: 'campaigns', paths: ['/tenantId', '/campaignId'], compositeIndexes: [] }
  {
    name: 'marketplace'
    paths: ['/tenantId', '/itemId']
    // The catalog's orders and the ratings list: ORDER BY over two properties needs these composite indexes.
    compositeIndexes: [
      [{ path: '/install_count', order: 'descending' }, { path: '/id', order: 'descending' }]
      [{ path: '/rating_score', order: 'descending' }, { path: '/id', order: 'descending' }]
      [{ path: '/created_at_ms', order: 'descending' }, { path: '/id', order: 'descending' }]
      [{ path: '/updated_at_ms', order: 'descending' }, { path: '/user_id', order: 'descending' }]
    ]
  }
  {
    name: 'notifications'
    paths: ['/tenantId', '/userId']
    // A customer's inbox, newest first.
    compositeIndexes: [
      [{ path: '/created_at_ms', order: 'descending' }, { path: '/id', order: 'descending' }]
    ]
  }
]

resource account 'Microsoft.DocumentDB/databaseAccounts@2026-03-15' = {
  name: accountName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    disableLocalAuth: true
    minimalTlsVersion: 'Tls12'
    consistencyPolicy: { defaultConsistencyLevel: 'Session' }
    locations: [{ locationName: location, failoverPriority: 0, isZoneRedundant: false }]
    capabilities: serverless ? [{ name: 'EnableServerless' }] : []
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2026-03-15' = {
  parent: account
  name: databaseName
  properties: { resource: { id: databaseName } }
}

resource sqlContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2026-03-15' = [for c in containers: {
  parent: database
  name: c.name
  properties: {
    // Hierarchical keys (MultiHash, version 2) for the two-level ones, as the SDK creates them locally; the default
    // indexing policy plus the composite indexes a container's ORDER BY queries need (as CosmosContainers.cs declares).
    resource: union(
      {
        id: c.name
        partitionKey: length(c.paths) > 1 ? { paths: c.paths, kind: 'MultiHash', version: 2 } : { paths: c.paths, kind: 'Hash' }
        defaultTtl: -1
      },
      empty(c.compositeIndexes) ? {} : {
        indexingPolicy: {
          indexingMode: 'consistent'
          automatic: true
          includedPaths: [{ path: '/*' }]
          excludedPaths: [{ path: '/"_etag"/?' }]
          compositeIndexes: c.compositeIndexes
        }
      }
    )
  }
}]

resource dataContributors 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2026-03-15' = [for principalId in dataContributorPrincipalIds: {
  parent: account
  name: guid(account.id, principalId, cosmosDataRoleIds['Cosmos DB Built-in Data Contributor'])
  properties: {
    roleDefinitionId: '${account.id}/sqlRoleDefinitions/${cosmosDataRoleIds['Cosmos DB Built-in Data Contributor']}'
    principalId: principalId
    scope: account.id
  }
}]

output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
