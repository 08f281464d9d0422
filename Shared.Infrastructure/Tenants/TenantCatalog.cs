using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Tenants;

/// <summary>Reads tenant definitions from configuration (<c>Tenants:File</c>, a JSON file with a "tenants" array).</summary>
public static class TenantCatalog
{
    private sealed class TenantsFile
    {
        public List<TenantDocument> Tenants { get; set; } = [];
    }

    public static IReadOnlyList<Tenant> Load(IConfiguration configuration, string contentRoot)
    {
        var path = configuration["Tenants:File"];
        if (string.IsNullOrWhiteSpace(path))
        {
            return [];
        }

        var fullPath = Path.IsPathRooted(path) ? path : Path.Combine(contentRoot, path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Tenants:File points at '{fullPath}', which does not exist.", fullPath);
        }

        var file = JsonSerializer.Deserialize<TenantsFile>(File.ReadAllText(fullPath), WireJson.Options)
            ?? throw new FormatException($"'{fullPath}' is empty.");
        return [.. file.Tenants.Select(t => t.ToTenant())];
    }

    /// <summary>Writes the configured tenants into the store (startup); existing tenants are replaced by their configuration.</summary>
    public static async Task SeedAsync(ITenantStore store, IReadOnlyList<Tenant> tenants, ILogger logger, CancellationToken cancellationToken)
    {
        foreach (var tenant in tenants)
        {
            await store.UpsertAsync(tenant, cancellationToken);
            logger.LogInformation("Tenant {TenantId} seeded with plans {Plans}", tenant.Id, string.Join(",", tenant.Plans.Select(p => p.Id)));
        }
    }
}
