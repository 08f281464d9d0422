using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Caching.Memory;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Tenants;

/// <summary>
/// Tenants change rarely and are read on every request, so reads are cached briefly (misses too, more briefly). The
/// two live apart, in caches of their own rather than the app's shared one: a tenant id enters the cache of tenants
/// only when the store has that tenant, so no flood of made-up ids can evict a real tenant (or anything else the app
/// caches); the made-up ids go to the cache of misses, bounded on its own (once full, further misses are simply not
/// cached until entries expire or compaction frees room).
/// </summary>
public sealed class CachingTenantDirectory : ITenantDirectory, IDisposable
{
    public const int DefaultMaxCachedMisses = 1024;

    private static readonly TimeSpan HitLifetime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MissLifetime = TimeSpan.FromSeconds(5);

    private readonly ITenantStore _store;
    private readonly MemoryCache _found;
    private readonly MemoryCache _missing;

    public CachingTenantDirectory(ITenantStore store, TimeProvider time)
        : this(store, time, DefaultMaxCachedMisses)
    {
    }

    public CachingTenantDirectory(ITenantStore store, TimeProvider time, int maxCachedMisses)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCachedMisses, 1);
        _store = store;
        // Entries expire by the app's clock (the one tests replace), not the machine's: see TimeProviderCacheClock.
        _found = new MemoryCache(new MemoryCacheOptions { Clock = new TimeProviderCacheClock(time) });
        _missing = new MemoryCache(new MemoryCacheOptions { Clock = new TimeProviderCacheClock(time), SizeLimit = maxCachedMisses });
    }

    /// <summary>Misses currently cached (for tests of the bound).</summary>
    public int CachedMisses => _missing.Count;

    public bool TryGetCached(TenantId id, [NotNullWhen(true)] out Tenant? tenant) => _found.TryGetValue(id.Value, out tenant) && tenant is not null;

    public async Task<Tenant?> FindAsync(TenantId id, CancellationToken cancellationToken)
    {
        if (TryGetCached(id, out var cached))
        {
            return cached;
        }

        if (_missing.TryGetValue(id.Value, out _))
        {
            return null;
        }

        var tenant = await _store.GetAsync(id, cancellationToken);
        if (tenant is null)
        {
            _missing.Set(id.Value, true, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = MissLifetime, Size = 1 });
        }
        else
        {
            _missing.Remove(id.Value);
            _found.Set(id.Value, tenant, HitLifetime);
        }

        return tenant;
    }

    public void Dispose()
    {
        _found.Dispose();
        _missing.Dispose();
    }
}
