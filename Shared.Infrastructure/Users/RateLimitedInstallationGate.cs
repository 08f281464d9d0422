using Shared.Domain.Common;
using Shared.Domain.Identify;
using Shared.Infrastructure.RateLimiting;

namespace Shared.Infrastructure.Users;

/// <summary>
/// Limits how fast one client address can create users: a fixed window per tenant and address (all permits come back
/// together once the window has passed), timed by the injected clock.
/// </summary>
public sealed class RateLimitedInstallationGate(InstallationLimitOptions options, TimeProvider time) : IInstallationGate
{
    private readonly KeyedTokenBucketLimiter _limiter = new(
        time,
        capacity: options.PermitsPerWindow,
        tokensPerPeriod: options.PermitsPerWindow,
        period: TimeSpan.FromSeconds(options.WindowSeconds),
        maxKeys: options.MaxTrackedAddresses);

    // The tenant id cannot contain '|' (TenantId validates it), so the pair cannot collide with another pair.
    public bool TryAdmit(TenantId tenantId, string? clientAddress) => _limiter.TryAcquire($"{tenantId.Value}|{clientAddress ?? "unknown"}", out _);
}
