// Key Vault with RBAC authorization (no access policies): the deploying principal may set secrets, the apps may read them.

param vaultName string
param location string = resourceGroup().location
param secretsUserPrincipalIds array = []

@description('The principal that deploys (and sets Stripe keys, the JWT signing key and the AI key).')
param secretsOfficerPrincipalId string = ''

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

var secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var secretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource readers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in secretsUserPrincipalIds: {
  scope: vault
  name: guid(vault.id, principalId, secretsUser)
  properties: { roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUser), principalId: principalId, principalType: 'ServicePrincipal' }
}]

resource officer 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(secretsOfficerPrincipalId)) {
  scope: vault
  name: guid(vault.id, secretsOfficerPrincipalId, secretsOfficer)
  properties: { roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsOfficer), principalId: secretsOfficerPrincipalId }
}

output uri string = vault.properties.vaultUri
output name string = vault.name
