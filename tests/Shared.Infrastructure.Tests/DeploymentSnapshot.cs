using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>One evaluated deployment of infra/ (see <see cref="BicepCli.Snapshot"/>), with lookups the tests share.</summary>
public sealed partial class DeploymentSnapshot(JsonNode snapshot)
{
    public IReadOnlyList<JsonNode> Resources { get; } = [.. snapshot["predictedResources"]!.AsArray().Select(r => r!)];

    public IEnumerable<JsonNode> OfType(string type) =>
        Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase));

    public JsonNode One(string type) => Assert.Single(OfType(type));

    /// <summary>The resource of that type whose name ends with the given suffix (e.g. "-api-..." apps by "-api-").</summary>
    public JsonNode Named(string type, string nameFragment) =>
        Assert.Single(OfType(type), r => ((string)r["name"]!).Contains(nameFragment, StringComparison.Ordinal));

    public string Output(string name) => (string)snapshot["outputs"]![name]!;

    /// <summary>A site's app settings by name.</summary>
    public static IReadOnlyDictionary<string, string> Settings(JsonNode site) =>
        site["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!, StringComparer.Ordinal);

    /// <summary>
    /// Every role assignment, Azure RBAC and Cosmos DB data-plane alike: who (a user-assigned identity's name, or the
    /// literal principal id), which role definition id, and the type of the resource it is scoped to.
    /// </summary>
    public IReadOnlyList<RoleGrant> RoleGrants()
    {
        var grants = new List<RoleGrant>();
        foreach (var assignment in OfType("Microsoft.Authorization/roleAssignments"))
        {
            var id = (string)assignment["id"]!;
            var scope = id.StartsWith("[extensionResourceId('", StringComparison.Ordinal)
                ? FirstQuoted().Match(id).Groups[1].Value
                : id[..id.IndexOf("/providers/Microsoft.Authorization/roleAssignments/", StringComparison.Ordinal)];
            grants.Add(Grant(assignment["properties"]!, scope));
        }

        foreach (var assignment in OfType("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments"))
        {
            grants.Add(Grant(assignment["properties"]!, (string)assignment["properties"]!["scope"]!));
        }

        return grants;
    }

    private static RoleGrant Grant(JsonNode properties, string scope)
    {
        var principal = (string)properties["principalId"]!;
        var identity = IdentityReference().Match(principal);
        return new RoleGrant(
            identity.Success ? identity.Groups[1].Value : principal,
            ((string)properties["roleDefinitionId"]!).Split('/')[^1],
            ResourceType(scope),
            (string?)properties["principalType"]);
    }

    /// <summary>"/subscriptions/../providers/Microsoft.Storage/storageAccounts/a/blobServices/default/containers/c"
    /// -> "Microsoft.Storage/storageAccounts/blobServices/containers".</summary>
    private static string ResourceType(string resourceId)
    {
        var segments = resourceId[(resourceId.LastIndexOf("/providers/", StringComparison.Ordinal) + "/providers/".Length)..].Split('/');
        return string.Join('/', new[] { segments[0] }.Concat(segments.Skip(1).Where((_, i) => i % 2 == 0)));
    }

    [GeneratedRegex(@"^\[extensionResourceId\('([^']+)'")]
    private static partial Regex FirstQuoted();

    [GeneratedRegex(@"userAssignedIdentities/([^']+)'")]
    private static partial Regex IdentityReference();
}
