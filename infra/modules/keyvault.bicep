// Key Vault with RBAC authorization (no access policies): the deploying principal may set secrets, the apps may read
// them. The vault's name must not collide with a soft-deleted vault (see main.bicep, vaultNameSeed).

import { roleIds } from '../roles.bicep'

param vaultName string
param location string

@description('Principal ids (the apps\' managed identities) that read secrets.')
param readerPrincipalIds array

@description('Object id of the principal that deploys and sets secrets (JWT signing key, Stripe keys, AI key).')
param deployerPrincipalId string

@allowed(['User', 'ServicePrincipal', 'Group'])
param deployerPrincipalType string

@description('Purge protection cannot be turned off once on; a purge-protected vault stays (deleted) for the retention period.')
param purgeProtection bool

@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    // The API accepts only true here (turning it off is not possible), so "off" means leaving the property out.
    enablePurgeProtection: purgeProtection ? true : null
    softDeleteRetentionInDays: softDeleteRetentionInDays
    publicNetworkAccess: 'Enabled'
  }
}

resource readers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in readerPrincipalIds: {
  scope: vault
  name: guid(vault.id, principalId, roleIds['Key Vault Secrets User'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Key Vault Secrets User'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

resource officer 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, deployerPrincipalId, roleIds['Key Vault Secrets Officer'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Key Vault Secrets Officer'])
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}

output uri string = vault.properties.vaultUri
output name string = vault.name
