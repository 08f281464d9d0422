// The one place that names the roles this deployment assigns: Microsoft's built-in role name -> role definition id.
// Templates import these tables (`import { roleIds } from '../roles.bicep'`) and index them by name, so a role is
// always written by its name and a mistyped name does not compile. InfraTests holds the same table and fails when a
// name or an id here changes. Source: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles

@export()
@description('Azure RBAC built-in roles (Microsoft.Authorization/roleDefinitions/<id>), by role name.')
var roleIds = {
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  'Key Vault Secrets Officer': 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6'
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb'
  'Storage Blob Data Contributor': 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
}

@export()
@description('Cosmos DB for NoSQL built-in data-plane roles (<account>/sqlRoleDefinitions/<id>), by role name.')
var cosmosDataRoleIds = {
  'Cosmos DB Built-in Data Contributor': '00000000-0000-0000-0000-000000000002'
}
