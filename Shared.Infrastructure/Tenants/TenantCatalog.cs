using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Shared.Domain.Common;
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

/// <summary>Tenants change rarely and are read on every request, so reads are cached briefly (misses too, more briefly).</summary>
public sealed class CachingTenantDirectory(ITenantStore store, IMemoryCache cache) : ITenantDirectory
{
    private static readonly TimeSpan HitLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(5);

    public async Task<Tenant?> FindAsync(TenantId id, CancellationToken cancellationToken)
    {
        var key = ("tenant", id.Value);
        if (cache.TryGetValue(key, out Tenant? cached))
        {
            return cached;
        }

        var tenant = await store.GetAsync(id, cancellationToken);
        cache.Set(key, tenant, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = tenant is null ? MissLifetime : HitLifetime, Size = 1 });
        return tenant;
    }
}
