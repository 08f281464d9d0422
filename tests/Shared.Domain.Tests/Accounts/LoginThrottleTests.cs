using Shared.Domain.Accounts;
using TestSupport;
using Xunit;

namespace Shared.Domain.Tests.Accounts;

/// <summary>The lockout policy (README, "Accounts"), on a clock the test moves.</summary>
public sealed class LoginThrottleTests
{
    private const string Victim = "alpha|victim@example.com";
    private const string VictimHome = "alpha|203.0.113.7";
    private const string Attacker = "alpha|198.51.100.9";

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private LoginThrottle Throttle(Action<LockoutOptions>? configure = null)
    {
        var options = new AccountOptions();
        configure?.Invoke(options.Lockout);
        return new LoginThrottle(options, _clock);
    }

    [Fact]
    public void Five_failures_lock_the_pair_for_fifteen_minutes_then_it_unlocks_by_itself()
    {
        var throttle = Throttle();
        var locked = Enumerable.Range(0, 5).Select(_ => throttle.Failed(Victim, Attacker)).ToList();

        Assert.Equal([false, false, false, false, true], locked);
        Assert.Equal(TimeSpan.FromMinutes(15), throttle.RetryAfter(Victim, Attacker));
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter(Victim, VictimHome)); // the owner elsewhere is not affected

        _clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(TimeSpan.FromMinutes(1), throttle.RetryAfter(Victim, Attacker));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter(Victim, Attacker));
    }

    [Fact]
    public void Failures_spread_over_more_than_the_window_do_not_add_up()
    {
        var throttle = Throttle();
        for (var i = 0; i < 4; i++)
        {
            Assert.False(throttle.Failed(Victim, Attacker));
        }

        _clock.Advance(TimeSpan.FromMinutes(15));
        for (var i = 0; i < 4; i++)
        {
            Assert.False(throttle.Failed(Victim, Attacker));
        }

        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter(Victim, Attacker));
    }

    [Fact]
    public void A_success_clears_the_pairs_count()
    {
        var throttle = Throttle();
        for (var i = 0; i < 4; i++)
        {
            throttle.Failed(Victim, VictimHome);
        }

        throttle.Succeeded(Victim, VictimHome);
        Assert.False(throttle.Failed(Victim, VictimHome));
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter(Victim, VictimHome));
    }

    [Fact]
    public void Distributed_guessing_locks_the_account_for_a_bounded_time_but_never_from_the_owners_known_address()
    {
        var throttle = Throttle();
        throttle.Succeeded(Victim, VictimHome); // the owner signed in from home before
        var lockedAt = -1;
        for (var i = 0; i < 20; i++)
        {
            if (throttle.Failed(Victim, $"alpha|198.51.100.{i}"))
            {
                lockedAt = i;
            }
        }

        Assert.Equal(19, lockedAt); // the 20th failure, from 20 different addresses, locks the account
        Assert.Equal(TimeSpan.FromMinutes(15), throttle.RetryAfter(Victim, "alpha|192.0.2.1")); // a new address waits
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter(Victim, VictimHome)); // the owner does not

        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter(Victim, "alpha|192.0.2.1"));
    }

    [Fact]
    public void One_address_failing_across_many_accounts_is_locked_everywhere()
    {
        var throttle = Throttle(o => o.AddressFailures = 10);
        for (var i = 0; i < 10; i++)
        {
            throttle.Failed($"alpha|user{i}@example.com", Attacker);
        }

        Assert.True(throttle.RetryAfter("alpha|someone-else@example.com", Attacker) > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("alpha|someone-else@example.com", VictimHome));
    }
}
