namespace Shared.Domain.Accounts;

/// <summary>
/// How often codes may be sent: to one target (email or phone) at most once per resend interval and a few times an
/// hour; from one client address a bounded number an hour. Protects mailboxes and phones from floods and the SMS bill.
/// </summary>
public sealed class SendThrottle(AccountOptions options, TimeProvider time)
{
    /// <summary>The cap on sends to one target from all addresses together, as a multiple of the per-address one.</summary>
    public const int TargetCapFactor = 4;

    private readonly FailureCounter _interval = new(time, 1, options.ResendInterval, options.ResendInterval, options.Lockout.MaxTrackedKeys);
    private readonly FailureCounter _perTarget = new(time, Math.Max(1, options.SendsPerTargetPerHour), TimeSpan.FromHours(1), TimeSpan.FromHours(1), options.Lockout.MaxTrackedKeys);
    private readonly FailureCounter _targetCap = new(time, Math.Max(1, options.SendsPerTargetPerHour) * TargetCapFactor, TimeSpan.FromHours(1), TimeSpan.FromHours(1), options.Lockout.MaxTrackedKeys);
    private readonly FailureCounter _perAddress = new(time, Math.Max(1, options.SendsPerAddressPerHour), TimeSpan.FromHours(1), TimeSpan.FromHours(1), options.Lockout.MaxTrackedKeys);

    /// <summary>
    /// Zero and counted when a send may go; else how long to wait (nothing counted). The resend interval and the hourly
    /// limit count per (target, address), so a stranger asking for codes to someone's phone or email does not stop the
    /// owner getting theirs from their own network; all addresses together are capped at <see cref="TargetCapFactor"/>
    /// times that (a flood of codes to one victim still ends), which an attacker needs that many networks to reach.
    /// </summary>
    public TimeSpan TryAcquire(string target, string address)
    {
        var pair = target + "|" + address;
        var wait = new[] { _interval.LockedFor(pair), _perTarget.LockedFor(pair), _targetCap.LockedFor(target), _perAddress.LockedFor(address) }.Max();
        if (wait > TimeSpan.Zero)
        {
            return wait;
        }

        _interval.Add(pair);
        _perTarget.Add(pair);
        _targetCap.Add(target);
        _perAddress.Add(address);
        return TimeSpan.Zero;
    }
}
