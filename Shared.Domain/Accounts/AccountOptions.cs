namespace Shared.Domain.Accounts;

/// <summary>Accounts' lifetimes and limits (configuration section <c>Accounts</c>; defaults as in README, "Accounts").</summary>
public sealed class AccountOptions
{
    public PasswordHashOptions Passwords { get; set; } = new();

    public TimeSpan EmailCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan PhoneCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public int MaxCodeAttempts { get; set; } = 5;

    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Codes sent to one email or phone: at most one per <see cref="ResendInterval"/> and <see cref="SendsPerTargetPerHour"/> an hour.</summary>
    public TimeSpan ResendInterval { get; set; } = TimeSpan.FromSeconds(60);

    public int SendsPerTargetPerHour { get; set; } = 5;

    /// <summary>Codes requested from one client address (IPv6 per /64) an hour, across all targets.</summary>
    public int SendsPerAddressPerHour { get; set; } = 20;

    public LockoutOptions Lockout { get; set; } = new();
}
