namespace Shared.Domain.Accounts;

/// <summary>The login lockout policy (README, "Accounts": lockout). Windows and locks are bounded, never permanent.</summary>
public sealed class LockoutOptions
{
    /// <summary>Failures of one (account, address) pair within <see cref="Window"/> that lock that pair for <see cref="PairLock"/>.</summary>
    public int PairFailures { get; set; } = 5;

    public TimeSpan PairLock { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Failures of one account from all addresses within <see cref="Window"/> that lock the account for
    /// <see cref="AccountLock"/>, except from addresses it signed in from successfully before.
    /// </summary>
    public int AccountFailures { get; set; } = 20;

    public TimeSpan AccountLock { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Failures from one address across all accounts within <see cref="Window"/> that lock the address for <see cref="AddressLock"/>.</summary>
    public int AddressFailures { get; set; } = 50;

    public TimeSpan AddressLock { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Counters kept in memory (per instance); beyond this, expired ones are dropped first.</summary>
    public int MaxTrackedKeys { get; set; } = 100_000;
}
