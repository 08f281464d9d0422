// Log Analytics and workspace-based Application Insights with local (instrumentation key) auth disabled: the apps send
// telemetry with their managed identities, which get Monitoring Metrics Publisher on the component.

import { roleIds } from '../roles.bicep'

param workspaceName string
param insightsName string
param location string

@description('Days Log Analytics keeps data.')
param retentionInDays int

@description('Principal ids (the apps\' managed identities) that publish telemetry.')
param publisherPrincipalIds array

resource logs 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: workspaceName
  location: location
  properties: { sku: { name: 'PerGB2018' }, retentionInDays: retentionInDays }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true
  }
}

resource publishers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in publisherPrincipalIds: {
  scope: insights
  name: guid(insights.id, principalId, roleIds['Monitoring Metrics Publisher'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Monitoring Metrics Publisher'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

output connectionString string = insights.properties.ConnectionString
