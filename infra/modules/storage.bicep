// The Functions host's storage account and the container the deployment packages run from. Shared keys are off, so
// everything is identity-based: the host reaches blobs, queues and tables with the apps' identities
// (AzureWebJobsStorage__credential=managedidentity), the apps read their package blob with the same identities
// (WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID), and the deployer uploads packages with Entra ID
// (az storage blob upload --auth-mode login). No Azure Files content share: that needs a key.

import { roleIds } from '../roles.bicep'

param accountName string
param location string

@description('Principal ids (the apps\' managed identities) that use this account as AzureWebJobsStorage.')
param hostPrincipalIds array

@description('Object id of the principal that uploads deployment packages.')
param deployerPrincipalId string

@allowed(['User', 'ServicePrincipal', 'Group'])
param deployerPrincipalType string

@description('Blob container that holds the apps\' deployment packages (WEBSITE_RUN_FROM_PACKAGE points into it).')
param packageContainerName string = 'deployment-packages'

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: accountName
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

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2026-09-01' = {
  parent: storage
  name: 'default'
}

resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2026-09-01' = {
  parent: blobs
  name: packageContainerName
  properties: { publicAccess: 'None' }
}

// What the Functions host needs on its storage with an identity: blobs (leases, keys; Owner as the Functions docs
// require for AzureWebJobsStorage), queues and tables. Blob Data Owner on the account also covers reading the package
// blob, which run-from-package needs (Storage Blob Data Reader or more).
var hostRoleIds = [
  roleIds['Storage Blob Data Owner']
  roleIds['Storage Queue Data Contributor']
  roleIds['Storage Table Data Contributor']
]

resource hostAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for pair in flatten(map(hostPrincipalIds, p => map(hostRoleIds, r => { principalId: p, roleId: r }))): {
  scope: storage
  name: guid(storage.id, pair.principalId, pair.roleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', pair.roleId)
    principalId: pair.principalId
    principalType: 'ServicePrincipal'
  }
}]

// The deployer writes packages into this one container only.
resource deployerUpload 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: packages
  name: guid(packages.id, deployerPrincipalId, roleIds['Storage Blob Data Contributor'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Storage Blob Data Contributor'])
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}

output name string = storage.name
output packageContainerName string = packages.name
@description('Blob endpoint with its trailing slash, e.g. https://<account>.blob.core.windows.net/')
output blobEndpoint string = storage.properties.primaryEndpoints.blob
