// Service Bus: the job queues with duplicate detection (the API sends MessageId = request id), a max delivery count
// equal to the apps' Queue__MaxDeliveries, and dead-lettering. Keyless: local (SAS) auth is disabled.
// The queue list must equal Shared.Domain/Jobs/IJobQueue.cs QueueNames.All (a test checks it).

import { roleIds } from '../roles.bicep'

param namespaceName string
param location string

@allowed(['Standard', 'Premium'])
param sku string = 'Standard'

@description('Deliveries before a message is dead-lettered; the apps read the same number from Queue__MaxDeliveries.')
param maxDeliveryCount int = 5

@description('Principal ids that send jobs.')
param senderPrincipalIds array

@description('Principal ids that receive (the workers\' Service Bus trigger).')
param receiverPrincipalIds array

var queues = [
  'ai-generation-priority'
  'ai-generation-standard'
  'campaign-dispatch'
]

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: namespaceName
  location: location
  sku: { name: sku, tier: sku }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = [for name in queues: {
  parent: namespace
  name: name
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H' // longer than Features__ResendAfter, so a resend of a queued job is dropped
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: true
    lockDuration: 'PT5M' // the host renews it while a slow AI call runs (host.json maxAutoLockRenewalDuration)
    defaultMessageTimeToLive: 'P1D'
  }
}]

resource senders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in senderPrincipalIds: {
  scope: namespace
  name: guid(namespace.id, principalId, roleIds['Azure Service Bus Data Sender'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Azure Service Bus Data Sender'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

resource receivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in receiverPrincipalIds: {
  scope: namespace
  name: guid(namespace.id, principalId, roleIds['Azure Service Bus Data Receiver'])
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds['Azure Service Bus Data Receiver'])
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}]

@description('<namespace>.servicebus.windows.net (the host of the namespace endpoint https://<fqdn>:443/).')
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
