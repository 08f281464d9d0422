using Shared.Domain.Common;
using Shared.Domain.Identify;
using Shared.Infrastructure.RateLimiting;

namespace Shared.Infrastructure.Users;

public sealed class InstallationLimitOptions
{
    /// <summary>New installations one client address may create in one tenant per window.</summary>
    public int PermitsPerWindow { get; set; } = 20;

    public int WindowSeconds { get; set; } = 3600;

    /// <summary>Tenant and address pairs one instance keeps a window for; beyond it idle ones are dropped first (memory bound).</summary>
    public int MaxTrackedAddresses { get; set; } = 100_000;
}

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
