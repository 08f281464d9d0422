using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>
/// Role definition ids: infra/roles.bicep is the one place that maps role names to ids; this test holds the same
/// table, copied from Microsoft's built-in role list
/// (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles), so a changed id or name fails here;
/// and what each principal is granted is pinned by role name.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed partial class InfraRoleTests(InfraSnapshots infra)
{
    private static readonly Dictionary<string, string> BuiltInRoles = new(StringComparer.Ordinal)
    {
        ["Azure Service Bus Data Receiver"] = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0",
        ["Azure Service Bus Data Sender"] = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39",
        ["Key Vault Secrets Officer"] = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7",
        ["Key Vault Secrets User"] = "4633458b-17de-408a-b874-0445c86b69e6",
        ["Monitoring Metrics Publisher"] = "3913510d-42f4-4e42-8a64-420c390055eb",
        ["Storage Blob Data Contributor"] = "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
        ["Storage Blob Data Owner"] = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
        ["Storage Queue Data Contributor"] = "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
        ["Storage Table Data Contributor"] = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
    };

    /// <summary>Cosmos DB for NoSQL's built-in data-plane roles (sqlRoleDefinitions of the account).</summary>
    private static readonly Dictionary<string, string> CosmosDataRoles = new(StringComparer.Ordinal)
    {
        ["Cosmos DB Built-in Data Contributor"] = "00000000-0000-0000-0000-000000000002",
    };

    [Fact]
    public void The_role_table_names_every_role_by_its_built_in_id()
    {
        var variables = infra.Roles["variables"]!;

        Assert.Equal(BuiltInRoles.OrderBy(r => r.Key), Table(variables["roleIds"]!).OrderBy(r => r.Key));
        Assert.Equal(CosmosDataRoles.OrderBy(r => r.Key), Table(variables["cosmosDataRoleIds"]!).OrderBy(r => r.Key));
    }

    [Fact]
    public void No_template_writes_a_role_id_outside_the_role_table()
    {
        var infraFolder = Path.Combine(RepositoryPaths.Root(), "infra");
        var offenders = Directory.EnumerateFiles(infraFolder, "*.bicep*", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "roles.bicep")
            .SelectMany(f => Guid().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(infraFolder, f)}: {m.Value}"))
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public void Each_principal_gets_exactly_the_roles_it_needs_on_exactly_these_resources()
    {
        string[] bothApps = ["srvless-prod-api-id", "srvless-prod-workers-id"];
        var expected = bothApps.SelectMany(app => new[]
            {
                (app, "Monitoring Metrics Publisher", "Microsoft.Insights/components"), // telemetry with Entra auth
                (app, "Storage Blob Data Owner", "Microsoft.Storage/storageAccounts"), // host storage; reads the package blob
                (app, "Storage Queue Data Contributor", "Microsoft.Storage/storageAccounts"),
                (app, "Storage Table Data Contributor", "Microsoft.Storage/storageAccounts"),
                (app, "Azure Service Bus Data Sender", "Microsoft.ServiceBus/namespaces"), // the API sends; the sweeps re-send
                (app, "Key Vault Secrets User", "Microsoft.KeyVault/vaults"),
                (app, "Cosmos DB Built-in Data Contributor", "Microsoft.DocumentDB/databaseAccounts"),
                (app, "Storage Blob Data Contributor", "Microsoft.Storage/storageAccounts"), // the releases' account (per-tenant containers)
            })
            .Append(("srvless-prod-workers-id", "Azure Service Bus Data Receiver", "Microsoft.ServiceBus/namespaces"))
            .Append((InfraSnapshots.DeployerObjectId, "Storage Blob Data Contributor", "Microsoft.Storage/storageAccounts/blobServices/containers"))
            .Append((InfraSnapshots.DeployerObjectId, "Key Vault Secrets Officer", "Microsoft.KeyVault/vaults"))
            .Select(g => $"{g.Item1} | {g.Item2} | {g.Item3}")
            .Order();

        var names = BuiltInRoles.Concat(CosmosDataRoles).ToDictionary(r => r.Value, r => r.Key, StringComparer.Ordinal);
        var grants = infra.Prod.RoleGrants();

        Assert.Equal(expected, grants.Select(g => $"{g.Principal} | {names.GetValueOrDefault(g.RoleId, $"unknown role {g.RoleId}")} | {g.ScopeType}").Order());
    }

    [Fact]
    public void Role_assignments_name_the_principal_type_the_deployer_signs_in_as()
    {
        // Set on every assignment so that a just-created identity is not looked up before it has replicated.
        Assert.All(infra.Prod.RoleGrants().Where(g => g.Principal != InfraSnapshots.DeployerObjectId && g.PrincipalType is not null),
            g => Assert.Equal("ServicePrincipal", g.PrincipalType));
        Assert.All(infra.Prod.RoleGrants().Where(g => g.Principal == InfraSnapshots.DeployerObjectId), g => Assert.Equal("ServicePrincipal", g.PrincipalType));
        Assert.All(infra.Dev.RoleGrants().Where(g => g.Principal == InfraSnapshots.DeployerObjectId), g => Assert.Equal("User", g.PrincipalType));
        Assert.Equal(2, infra.Dev.RoleGrants().Count(g => g.Principal == InfraSnapshots.DeployerObjectId));
    }

    private static Dictionary<string, string> Table(JsonNode table) =>
        table.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!, StringComparer.Ordinal);

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Guid();
}
