// Service Bus: the job queues with duplicate detection (the API sends MessageId = request id), a max delivery count
// equal to the apps' Queue__MaxDeliveries, and dead-lettering. Keyless: local (SAS) auth is disabled.
// The queue list must equal Shared.Domain/Jobs/IJobQueue.cs QueueNames.All (a test checks it).

param namespaceName string
param location string = resourceGroup().location

@allowed(['Standard', 'Premium'])
param sku string = 'Standard'

@description('Deliveries before a message is dead-lettered; the apps read the same number from Queue__MaxDeliveries.')
param maxDeliveryCount int = 5

param senderPrincipalIds array = []
param receiverPrincipalIds array = []

var queues = [
  'ai-generation-priority'
  'ai-generation-standard'
  'campaign-dispatch'
]

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: namespaceName
  location: location
  sku: { name: sku, tier: sku }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2022-10-01-preview' = [for name in queues: {
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

var dataSender = '69a216fc-b8fb-44d8-bc22-1f3c2552a11a'
var dataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'

resource senders 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in senderPrincipalIds: {
  scope: namespace
  name: guid(namespace.id, principalId, dataSender)
  properties: { roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSender), principalId: principalId, principalType: 'ServicePrincipal' }
}]

resource receivers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for principalId in receiverPrincipalIds: {
  scope: namespace
  name: guid(namespace.id, principalId, dataReceiver)
  properties: { roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiver), principalId: principalId, principalType: 'ServicePrincipal' }
}]

output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
