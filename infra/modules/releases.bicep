// The data-sharing releases' own storage account, apart from the Functions host's: released datasets are a product that
// is sold, so they are kept away from host state (where both apps are Blob Data Owner) and can be governed on their own.
// Shared keys off; the apps reach it with their managed identities (DataSharing__Export__BlobServiceUri).
// No container is declared here: the app creates one container per tenant, dp-<tenant>, on the tenant's first export
// (CreateIfNotExists in AzureBlobReleaseStore), so tenants added later need no redeployment.

import { roleIds } from '../roles.bicep'

param accountName string
param location string

@description('''Principal ids (the apps' managed identities) that write releases and read them back: the workers' nightly
job and the API, which runs a missed night for an admin and proxies admins' downloads.''')
param writerPrincipalIds array

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

// At account scope because the containers are per tenant and made by the app at run time: a container-scoped
// assignment cannot be declared for a container that does not exist yet, and creating a container is itself an
// account-level data action. Contributor, not Owner: the apps need no ACL or ownership management.
resource writerAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in writerPrincipalIds: {
  scope: storage
  name: guid(storage.id, principalId, roleIds['Storage Blob Data Contributor'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Storage Blob Data Contributor'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

output name string = storage.name
@description('Blob endpoint with its trailing slash, e.g. https://<account>.blob.core.windows.net/')
output blobEndpoint string = storage.properties.primaryEndpoints.blob
