// One Function App run as a custom handler (FUNCTIONS_WORKER_RUNTIME=Custom) on the shared Elastic Premium plan,
// with its own user-assigned identity; the host's storage is identity-based (no connection string, no keys).

param name string
param location string = resourceGroup().location
param planId string
param storageAccountName string
param appInsightsConnectionString string
param identityId string
param identityClientId string

@description('App settings besides the host ones (Store__Provider, Cosmos__Endpoint, ...).')
param settings object

var hostSettings = {
  FUNCTIONS_EXTENSION_VERSION: '~4'
  FUNCTIONS_WORKER_RUNTIME: 'Custom'
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  AZURE_CLIENT_ID: identityClientId // DefaultAzureCredential picks this user-assigned identity
  WEBSITE_RUN_FROM_PACKAGE: '1'
  ASPNETCORE_ENVIRONMENT: 'Production'
}

resource site 'Microsoft.Web/sites@2023-12-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [for setting in items(union(hostSettings, settings)): { name: setting.key, value: string(setting.value) }]
    }
  }
}

output defaultHostName string = site.properties.defaultHostName
output name string = site.name
