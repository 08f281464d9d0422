// The whole backend in one resource group: two Function Apps (API, workers) as custom handlers on an Elastic Premium
// plan (custom handlers are not offered on Flex Consumption), one user-assigned identity each, identity-based host
// storage, Cosmos DB, Service Bus, Key Vault and Application Insights on Log Analytics. Keyless throughout.
// Not deployed from the build environment (no Azure access there); see README "Deploying to Azure".

targetScope = 'resourceGroup'

@allowed(['dev', 'test', 'prod'])
param environment string = 'dev'
param location string = resourceGroup().location

@description('Short name used in resource names.')
@maxLength(10)
param prefix string = 'srvless'

@description('Object id of the principal that deploys and sets secrets (az ad signed-in-user show --query id).')
param deployerPrincipalId string = ''

@description('OpenAI-compatible API base URL and model for feature generation (the key goes into Key Vault as ai-api-key).')
param aiBaseUrl string = 'https://api.openai.com/v1/'
param aiModel string = 'gpt-4o-mini'

@allowed(['EP1', 'EP2', 'EP3'])
param planSku string = 'EP1'

param serviceBusSku string = 'Standard'
param maxDeliveryCount int = 5

var suffix = uniqueString(resourceGroup().id, environment)
var names = {
  plan: '${prefix}-${environment}-plan'
  api: '${prefix}-${environment}-api-${suffix}'
  workers: '${prefix}-${environment}-workers-${suffix}'
  storage: take(toLower('${prefix}${environment}${suffix}'), 24)
  cosmos: '${prefix}-${environment}-cosmos-${suffix}'
  bus: '${prefix}-${environment}-bus-${suffix}'
  vault: take('${prefix}-${environment}-kv-${suffix}', 24)
  logs: '${prefix}-${environment}-logs'
  insights: '${prefix}-${environment}-insights'
}

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-${environment}-api-id'
  location: location
}

resource workersIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${prefix}-${environment}-workers-id'
  location: location
}

var appPrincipals = [apiIdentity.properties.principalId, workersIdentity.properties.principalId]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: names.logs
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: 30 }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: names.insights
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true // telemetry is sent with the apps' identities (Monitoring Metrics Publisher)
  }
}

var metricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'
resource insightsPublishers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in appPrincipals: {
  scope: insights
  name: guid(insights.id, principalId, metricsPublisher)
  properties: { roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', metricsPublisher), principalId: principalId, principalType: 'ServicePrincipal' }
}]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: names.storage
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    defaultToOAuthAuthentication: true
  }
}

// What the Functions host needs on its storage with an identity: blobs (leases, keys), queues and tables (timers).
var storageRoles = [
  'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner
  '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor
  '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor
]
resource storageAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for pair in flatten(map(appPrincipals, p => map(storageRoles, r => { principal: p, role: r }))): {
  scope: storage
  name: guid(storage.id, pair.principal, pair.role)
  properties: { roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', pair.role), principalId: pair.principal, principalType: 'ServicePrincipal' }
}]

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    accountName: names.cosmos
    location: location
    dataContributorPrincipalIds: appPrincipals
  }
}

module bus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    namespaceName: names.bus
    location: location
    sku: serviceBusSku
    maxDeliveryCount: maxDeliveryCount
    senderPrincipalIds: appPrincipals // the API sends jobs; the workers' sweeps re-send them
    receiverPrincipalIds: [workersIdentity.properties.principalId]
  }
}

module vault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    vaultName: names.vault
    location: location
    secretsUserPrincipalIds: appPrincipals
    secretsOfficerPrincipalId: deployerPrincipalId
  }
}

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: names.plan
  location: location
  kind: 'elastic'
  sku: { name: planSku, tier: 'ElasticPremium' }
  properties: { reserved: true, maximumElasticWorkerCount: 20 }
}

// The settings both apps read (see README "Configuration").
var shared = {
  Store__Provider: 'Cosmos'
  Cosmos__Endpoint: cosmos.outputs.endpoint
  Cosmos__Database: cosmos.outputs.databaseName
  Secrets__Provider: 'KeyVault'
  KeyVault__Uri: vault.outputs.uri
  ServiceBus__FullyQualifiedNamespace: bus.outputs.fullyQualifiedNamespace
  Queue__MaxDeliveries: maxDeliveryCount
  Payments__Provider: 'Stripe'
  Ai__Provider: 'OpenAI'
  Ai__BaseUrl: aiBaseUrl
  Ai__Model: aiModel
  Tenants__File: 'config/tenants.json'
}

module api 'modules/functionapp.bicep' = {
  name: 'api'
  params: {
    name: names.api
    location: location
    planId: plan.id
    storageAccountName: storage.name
    appInsightsConnectionString: insights.properties.ConnectionString
    identityId: apiIdentity.id
    identityClientId: apiIdentity.properties.clientId
    settings: shared
  }
}

module workers 'modules/functionapp.bicep' = {
  name: 'workers'
  params: {
    name: names.workers
    location: location
    planId: plan.id
    storageAccountName: storage.name
    appInsightsConnectionString: insights.properties.ConnectionString
    identityId: workersIdentity.id
    identityClientId: workersIdentity.properties.clientId
    settings: union(shared, {
      // The Service Bus trigger's identity-based connection (function.json "connection": "ServiceBusConnection").
      ServiceBusConnection__fullyQualifiedNamespace: bus.outputs.fullyQualifiedNamespace
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: workersIdentity.properties.clientId
    })
  }
}

output apiUrl string = 'https://${api.outputs.defaultHostName}/api'
output apiAppName string = api.outputs.name
output workersAppName string = workers.outputs.name
output stripeWebhookUrlTemplate string = 'https://${api.outputs.defaultHostName}/api/v1/webhooks/stripe/{tenant_id}'
output keyVaultName string = vault.outputs.name
output cosmosEndpoint string = cosmos.outputs.endpoint
output serviceBusNamespace string = bus.outputs.fullyQualifiedNamespace
output appSettings object = shared
