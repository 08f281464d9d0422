// One Linux Function App run as a custom handler (FUNCTIONS_WORKER_RUNTIME=Custom) on the shared Elastic Premium plan,
// with its own user-assigned identity. Keyless: the host's storage is identity-based (no connection string) and the
// code runs from a package blob read with the same identity (WEBSITE_RUN_FROM_PACKAGE=<blob URL>,
// WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID=<identity>), so there is no Azure Files content share
// (WEBSITE_CONTENTAZUREFILECONNECTIONSTRING/WEBSITE_CONTENTSHARE are absent on purpose: Azure Files needs a key).

param name string
param location string
param planId string
param storageAccountName string
param appInsightsConnectionString string
param identityId string
param identityClientId string

@description('Blob URL of this app\'s deployment package (deploy.sh uploads it, then restarts the app and syncs triggers).')
param packageUrl string

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
  WEBSITE_RUN_FROM_PACKAGE: packageUrl
  WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: identityId
  ASPNETCORE_ENVIRONMENT: 'Production'
}

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'UserAssigned', userAssignedIdentities: { '${identityId}': {} } }
  properties: {
    serverFarmId: planId
    reserved: true // Linux
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      // Empty: what the platform's own "custom" Functions stack sets on Linux (its linuxRuntimeSettings give
      // linuxFxVersion ''); the handler is a self-contained linux-x64 executable and needs no language runtime.
      linuxFxVersion: ''
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      appSettings: [for setting in items(union(hostSettings, settings)): { name: setting.key, value: string(setting.value) }]
    }
  }
}

// Nothing deploys through FTP or the SCM site with a password: packages go to blob storage with Entra ID.
resource ftp 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scm 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

output defaultHostName string = site.properties.defaultHostName
output name string = site.name
output id string = site.id
