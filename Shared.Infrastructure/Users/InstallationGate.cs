using System.Threading.RateLimiting;
using Shared.Domain.Common;
using Shared.Domain.Identify;

namespace Shared.Infrastructure.Users;

public sealed class InstallationLimitOptions
{
    /// <summary>New installations one client address may create in one tenant per window.</summary>
    public int PermitsPerWindow { get; set; } = 20;

    public int WindowSeconds { get; set; } = 3600;
}

/// <summary>Limits how fast one client address can create users (a fixed window per tenant and address).</summary>
public sealed class RateLimitedInstallationGate : IInstallationGate, IDisposable
{
    private readonly PartitionedRateLimiter<(string Tenant, string Address)> _limiter;

    public RateLimitedInstallationGate(InstallationLimitOptions options)
    {
        _limiter = PartitionedRateLimiter.Create<(string Tenant, string Address), (string, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.PermitsPerWindow,
                Window = TimeSpan.FromSeconds(options.WindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    public bool TryAdmit(TenantId tenantId, string? clientAddress)
    {
        using var lease = _limiter.AttemptAcquire((tenantId.Value, clientAddress ?? "unknown"));
        return lease.IsAcquired;
    }

    public void Dispose() => _limiter.Dispose();
}
