using Shared.Infrastructure.RateLimiting;

namespace Functions.Api.Http;

/// <summary>
/// The process' token buckets (a singleton: endpoint filters are created per request), refilled by the injected clock:
/// a tenant's bucket holds a second's worth and refills every second; a user's and an address' hold a minute's worth and
/// refill a sixth of it every 10 seconds, as does an address' budget for unknown tenants.
/// </summary>
public sealed class RequestRateLimiter(RequestRateLimitOptions options, TimeProvider time)
{
    public KeyedTokenBucketLimiter Tenants { get; } = new(
        time,
        capacity: Math.Max(1, options.PerTenantPerSecond),
        tokensPerPeriod: Math.Max(1, options.PerTenantPerSecond),
        period: TimeSpan.FromSeconds(1),
        maxKeys: Math.Max(1, options.MaxTrackedCallers));

    /// <summary>Per tenant and user (the token's subject).</summary>
    public KeyedTokenBucketLimiter Users { get; } = PerMinute(time, options.PerCallerPerMinute, options.MaxTrackedCallers);

    /// <summary>Per tenant and client address (see <see cref="ClientAddress"/>).</summary>
    public KeyedTokenBucketLimiter Addresses { get; } = PerMinute(time, options.PerAddressPerMinute ?? options.PerCallerPerMinute, options.MaxTrackedCallers);

    /// <summary>Per client address only: the tenant ids an attacker names are theirs to vary.</summary>
    public KeyedTokenBucketLimiter UnknownTenants { get; } = PerMinute(time, options.UnknownTenantPerAddressPerMinute, options.MaxTrackedCallers);

    private static KeyedTokenBucketLimiter PerMinute(TimeProvider time, int perMinute, int maxKeys) => new(
        time,
        capacity: Math.Max(1, perMinute),
        tokensPerPeriod: Math.Max(1, (perMinute + 5) / 6),
        period: TimeSpan.FromSeconds(10),
        maxKeys: Math.Max(1, maxKeys));
}
