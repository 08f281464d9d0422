namespace Shared.Domain.Accounts;

/// <summary>
/// How often codes may be sent: to one target (email or phone) at most once per resend interval and a few times an
/// hour; from one client address a bounded number an hour. Protects mailboxes and phones from floods and the SMS bill.
/// </summary>
public sealed class SendThrottle(AccountOptions options, TimeProvider time)
{
    private readonly FailureCounter _interval = new(time, 1, options.ResendInterval, options.ResendInterval, options.Lockout.MaxTrackedKeys);
    private readonly FailureCounter _perTarget = new(time, Math.Max(1, options.SendsPerTargetPerHour), TimeSpan.FromHours(1), TimeSpan.FromHours(1), options.Lockout.MaxTrackedKeys);
    private readonly FailureCounter _perAddress = new(time, Math.Max(1, options.SendsPerAddressPerHour), TimeSpan.FromHours(1), TimeSpan.FromHours(1), options.Lockout.MaxTrackedKeys);

    /// <summary>Zero and counted when a send may go; else how long to wait (nothing counted).</summary>
    public TimeSpan TryAcquire(string target, string address)
    {
        var wait = new[] { _interval.LockedFor(target), _perTarget.LockedFor(target), _perAddress.LockedFor(address) }.Max();
        if (wait > TimeSpan.Zero)
        {
            return wait;
        }

        _interval.Add(target);
        _perTarget.Add(target);
        _perAddress.Add(address);
        return TimeSpan.Zero;
    }
}
