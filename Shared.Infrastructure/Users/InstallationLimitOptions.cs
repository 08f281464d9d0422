namespace Shared.Infrastructure.Users;

public sealed class InstallationLimitOptions
{
    /// <summary>New installations one client address may create in one tenant per window.</summary>
    public int PermitsPerWindow { get; set; } = 20;

    public int WindowSeconds { get; set; } = 3600;

    /// <summary>Tenant and address pairs one instance keeps a window for; beyond it idle ones are dropped first (memory bound).</summary>
    public int MaxTrackedAddresses { get; set; } = 100_000;
}
