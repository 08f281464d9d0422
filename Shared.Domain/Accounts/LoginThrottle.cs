using System.Collections.Concurrent;

namespace Shared.Domain.Accounts;

/// <summary>
/// Login lockout (README, "Accounts"), designed so that a stranger's failures cannot keep the owner out:
/// <list type="bullet">
/// <item>Per (account, address) pair: <see cref="LockoutOptions.PairFailures"/> failures lock only that pair; a success
/// clears its count. Guessing from one address stops there without touching anyone else.</item>
/// <item>Per account: <see cref="LockoutOptions.AccountFailures"/> failures from all addresses lock the account for a
/// bounded time, but NOT from addresses that signed in to it successfully before (the owner's own), so distributed
/// guessing is slowed while the owner keeps signing in.</item>
/// <item>Per address: <see cref="LockoutOptions.AddressFailures"/> failures across accounts lock the address (stuffing).</item>
/// </list>
/// Every lock ends by itself. Accounts are keyed by the email as typed in canonical form, whether or not it has an
/// account, so a lockout says nothing about which emails exist. Kept in memory per instance.
/// </summary>
public sealed class LoginThrottle
{
    private const int KnownAddressesPerAccount = 8;
    private readonly FailureCounter _pairs;
    private readonly FailureCounter _accounts;
    private readonly FailureCounter _addresses;
    private readonly ConcurrentDictionary<string, string[]> _known = new(StringComparer.Ordinal);
    private readonly int _maxKeys;

    public LoginThrottle(AccountOptions options, TimeProvider time)
    {
        var o = options.Lockout;
        _maxKeys = Math.Max(1, o.MaxTrackedKeys);
        _pairs = new FailureCounter(time, Math.Max(1, o.PairFailures), o.Window, o.PairLock, _maxKeys);
        _accounts = new FailureCounter(time, Math.Max(1, o.AccountFailures), o.Window, o.AccountLock, _maxKeys);
        _addresses = new FailureCounter(time, Math.Max(1, o.AddressFailures), o.Window, o.AddressLock, _maxKeys);
    }

    /// <summary>Zero when a login of <paramref name="account"/> from <paramref name="address"/> may be tried; else how long until it may.</summary>
    public TimeSpan RetryAfter(string account, string address)
    {
        var wait = Max(_addresses.LockedFor(address), _pairs.LockedFor(Pair(account, address)));
        return IsKnown(account, address) ? wait : Max(wait, _accounts.LockedFor(account));
    }

    /// <summary>Counts a failed login; true when it locked something (audited as a lockout).</summary>
    public bool Failed(string account, string address)
    {
        var locked = _pairs.Add(Pair(account, address));
        locked |= _accounts.Add(account);
        locked |= _addresses.Add(address);
        return locked;
    }

    public void Succeeded(string account, string address)
    {
        _pairs.Reset(Pair(account, address));
        if (_known.Count >= _maxKeys)
        {
            _known.Clear(); // bounded memory; the owner is merely treated as a new address until their next success
        }

        _known.AddOrUpdate(account, _ => [address], (_, list) => list.Contains(address, StringComparer.Ordinal) ? list : [.. list.Prepend(address).Take(KnownAddressesPerAccount)]);
    }

    private bool IsKnown(string account, string address) => _known.TryGetValue(account, out var list) && list.Contains(address, StringComparer.Ordinal);

    private static string Pair(string account, string address) => account + "|" + address;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
