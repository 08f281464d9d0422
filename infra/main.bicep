// The whole backend in one resource group: two Function Apps (API, workers) as custom handlers on a Linux Elastic
// Premium plan (custom handlers are not offered on Flex Consumption), one user-assigned identity each, identity-based
// host storage with the deployment packages in a blob container, Cosmos DB, Service Bus, Key Vault and Application
// Insights on Log Analytics. Keyless throughout. Parameters per environment: dev.bicepparam, prod.bicepparam.
// Compiled and linted by test.sh; not deployed from the build environment (no Azure access there).

targetScope = 'resourceGroup'

@allowed(['dev', 'prod'])
param environment string

param location string = resourceGroup().location

@description('Short name used in resource names (letters and digits; the storage account name is built from it).')
@minLength(3)
@maxLength(10)
param prefix string = 'srvless'

@description('Object id of the principal that deploys: it uploads packages and sets Key Vault secrets. deploy.sh finds it.')
@minLength(36)
@maxLength(36)
param deployerPrincipalId string

@allowed(['User', 'ServicePrincipal', 'Group'])
param deployerPrincipalType string

@description('''Part of the Key Vault name that a new resource group does not reuse. deploy.sh keeps it in a tag on the
resource group, so redeploying into the same group reuses the vault, while a group that was deleted and created again
gets a new name instead of colliding with the old vault, which stays soft-deleted (and, with purge protection,
unpurgeable) for its retention period.''')
@minLength(8)
param vaultNameSeed string

@description('Purge protection for the Key Vault (recommended for prod; cannot be turned off once on).')
param vaultPurgeProtection bool = true

@minValue(7)
@maxValue(90)
param vaultSoftDeleteRetentionInDays int = 90

@description('OpenAI-compatible API base URL and model for feature generation (the key goes into Key Vault as ai-api-key).')
param aiBaseUrl string = 'https://api.openai.com/v1/'
param aiModel string = 'gpt-4o-mini'

@description('Firebase project id for push campaign messages over FCM HTTP v1; empty: no push sender (such messages count as failed). The service account key file goes into Key Vault as fcm-service-account.')
param fcmProjectId string = ''

@description('WhatsApp Cloud API business phone number id for WhatsApp campaign messages; empty: no WhatsApp sender. The system user access token goes into Key Vault as whatsapp-access-token.')
param whatsAppPhoneNumberId string = ''

@allowed(['EP1', 'EP2', 'EP3'])
param planSku string = 'EP1'

@minValue(1)
@maxValue(100)
param maximumElasticWorkerCount int = 20

@allowed(['Standard', 'Premium'])
param serviceBusSku string = 'Standard'

param maxDeliveryCount int = 5

@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

var suffix = uniqueString(resourceGroup().id, environment)
var names = {
  plan: '${prefix}-${environment}-plan'
  api: '${prefix}-${environment}-api-${suffix}'
  workers: '${prefix}-${environment}-workers-${suffix}'
  storage: take(toLower('${prefix}${environment}${suffix}'), 24)
  releases: take(toLower('${prefix}${environment}dp${suffix}'), 24)
  cosmos: '${prefix}-${environment}-cosmos-${suffix}'
  bus: '${prefix}-${environment}-bus-${suffix}'
  vault: take('${prefix}-${environment}-kv-${uniqueString(resourceGroup().id, environment, vaultNameSeed)}', 24)
  logs: '${prefix}-${environment}-logs'
  insights: '${prefix}-${environment}-insights'
}

// The packages deploy.sh uploads: dist/<name> is published to <container>/<name>.
var packageBlobs = {
  api: 'Functions.Api.zip'
  workers: 'Functions.Workers.zip'
}

resource apiIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${prefix}-${environment}-api-id'
  location: location
}

resource workersIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: '${prefix}-${environment}-workers-id'
  location: location
}

// Principal ids are known only once the identities exist, so every role assignment over them sits in a module, where
// they arrive as parameters (a loop in this file over them cannot be planned at the start of the deployment).
var appPrincipals = [apiIdentity.properties.principalId, workersIdentity.properties.principalId]

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    workspaceName: names.logs
    insightsName: names.insights
    location: location
    retentionInDays: logRetentionInDays
    publisherPrincipalIds: appPrincipals
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    accountName: names.storage
    location: location
    hostPrincipalIds: appPrincipals
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
  }
}

// The data-sharing releases (issue 16): a storage account of their own, one container per tenant made by the app.
module releases 'modules/releases.bicep' = {
  name: 'releases'
  params: {
    accountName: names.releases
    location: location
    writerPrincipalIds: appPrincipals // the workers' nightly job; the API's admin "run a missed night" and downloads
  }
}

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
    readerPrincipalIds: appPrincipals
    deployerPrincipalId: deployerPrincipalId
    deployerPrincipalType: deployerPrincipalType
    purgeProtection: vaultPurgeProtection
    softDeleteRetentionInDays: vaultSoftDeleteRetentionInDays
  }
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: names.plan
  location: location
  kind: 'elastic'
  sku: { name: planSku, tier: 'ElasticPremium' }
  properties: { reserved: true, maximumElasticWorkerCount: maximumElasticWorkerCount } // reserved: a Linux plan
}

// The settings both apps read (see README "Configuration"); the notification providers only when configured.
var notificationSettings = union(
  empty(fcmProjectId) ? {} : { Notifications__Push__Provider: 'Fcm', Notifications__Push__Fcm__ProjectId: fcmProjectId },
  empty(whatsAppPhoneNumberId) ? {} : { Notifications__WhatsApp__Provider: 'Cloud', Notifications__WhatsApp__Cloud__PhoneNumberId: whatsAppPhoneNumberId }
)
var shared = union(notificationSettings, {
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
  // Both apps export and read releases: the workers nightly, the API for an admin's missed night and downloads.
  DataSharing__Export__Provider: 'AzureBlob'
  DataSharing__Export__BlobServiceUri: releases.outputs.blobEndpoint
})

var packageBase = '${storage.outputs.blobEndpoint}${storage.outputs.packageContainerName}/'

module api 'modules/functionapp.bicep' = {
  name: 'api'
  params: {
    name: names.api
    location: location
    planId: plan.id
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    identityId: apiIdentity.id
    identityClientId: apiIdentity.properties.clientId
    packageUrl: '${packageBase}${packageBlobs.api}'
    settings: shared
  }
}

module workers 'modules/functionapp.bicep' = {
  name: 'workers'
  params: {
    name: names.workers
    location: location
    planId: plan.id
    storageAccountName: storage.outputs.name
    appInsightsConnectionString: monitoring.outputs.connectionString
    identityId: workersIdentity.id
    identityClientId: workersIdentity.properties.clientId
    packageUrl: '${packageBase}${packageBlobs.workers}'
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
output apiAppId string = api.outputs.id
output workersAppName string = workers.outputs.name
output workersAppId string = workers.outputs.id
output storageAccountName string = storage.outputs.name
output releasesAccountName string = releases.outputs.name
output packageContainerName string = storage.outputs.packageContainerName
output apiPackageBlob string = packageBlobs.api
output workersPackageBlob string = packageBlobs.workers
output stripeWebhookUrlTemplate string = 'https://${api.outputs.defaultHostName}/api/v1/webhooks/stripe/{tenant_id}'
output keyVaultName string = vault.outputs.name
output cosmosEndpoint string = cosmos.outputs.endpoint
output serviceBusNamespace string = bus.outputs.fullyQualifiedNamespace
output appSettings object = shared
