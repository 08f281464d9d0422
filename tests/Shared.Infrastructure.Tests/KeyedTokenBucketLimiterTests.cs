using Shared.Domain.Common;
using Shared.Infrastructure.RateLimiting;
using Shared.Infrastructure.Users;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>The rate limiters' buckets refill by the injected clock only, and their memory is bounded.</summary>
public sealed class KeyedTokenBucketLimiterTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero));

    private List<bool> Take(KeyedTokenBucketLimiter limiter, string key, int count) =>
        Enumerable.Range(0, count).Select(_ => limiter.TryAcquire(key, out TimeSpan _)).ToList();

    [Fact]
    public void A_bucket_refills_by_whole_periods_of_the_injected_clock_up_to_its_capacity()
    {
        var limiter = new KeyedTokenBucketLimiter(_clock, capacity: 3, tokensPerPeriod: 2, period: TimeSpan.FromSeconds(10), maxKeys: 100);

        var full = Take(limiter, "k", 4);
        _clock.Advance(TimeSpan.FromSeconds(9.9));
        var beforePeriod = Take(limiter, "k", 1);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        var onePeriod = Take(limiter, "k", 3);
        _clock.Advance(TimeSpan.FromHours(1));
        var capped = Take(limiter, "k", 4);

        Assert.Equal([true, true, true, false], full);
        Assert.Equal([false], beforePeriod);
        Assert.Equal([true, true, false], onePeriod);
        Assert.Equal([true, true, true, false], capped);
    }

    [Fact]
    public async Task A_bucket_does_not_refill_when_only_real_time_passes()
    {
        var limiter = new KeyedTokenBucketLimiter(_clock, capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromMilliseconds(50), maxKeys: 100);

        var first = limiter.TryAcquire("k", out _);
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // six periods of real time, none of the injected clock
        var afterRealTime = limiter.TryAcquire("k", out var retryAfter);
        _clock.Advance(TimeSpan.FromMilliseconds(50));
        var afterInjectedTime = limiter.TryAcquire("k", out _);

        Assert.True(first);
        Assert.False(afterRealTime);
        Assert.Equal(TimeSpan.FromMilliseconds(50), retryAfter);
        Assert.True(afterInjectedTime);
    }

    [Fact]
    public void Retry_after_is_the_time_to_the_next_refill_by_the_injected_clock()
    {
        var limiter = new KeyedTokenBucketLimiter(_clock, capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(10), maxKeys: 100);

        limiter.TryAcquire("k", out _);
        _clock.Advance(TimeSpan.FromSeconds(7));
        var refused = limiter.TryAcquire("k", out var retryAfter);

        Assert.False(refused);
        Assert.Equal(TimeSpan.FromSeconds(3), retryAfter);
    }

    [Fact]
    public void Keys_have_separate_buckets()
    {
        var limiter = new KeyedTokenBucketLimiter(_clock, capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromMinutes(1), maxKeys: 100);

        Assert.Equal([true, false], Take(limiter, "a", 2));
        Assert.Equal([true, false], Take(limiter, "b", 2));
    }

    [Fact]
    public void A_clock_set_back_adds_nothing_and_restarts_the_period()
    {
        var limiter = new KeyedTokenBucketLimiter(_clock, capacity: 1, tokensPerPeriod: 1, period: TimeSpan.FromSeconds(10), maxKeys: 100);

        limiter.TryAcquire("k", out _);
        _clock.Advance(TimeSpan.FromSeconds(-60));
        var afterSetBack = limiter.TryAcquire("k", out _);
        _clock.Advance(TimeSpan.FromSeconds(10));
        var onePeriodLater = limiter.TryAcquire("k", out _);

        Assert.False(afterSetBack);
        Assert.True(onePeriodLater);
    }

    [Fact]
    public void The_number_of_buckets_kept_is_bounded_under_a_flood_of_distinct_keys()
    {
        var limiter = new KeyedTokenBucketLimiter(_clock, capacity: 5, tokensPerPeriod: 1, period: TimeSpan.FromMinutes(1), maxKeys: 50);

        var admitted = Enumerable.Range(0, 10_000).Count(i => limiter.TryAcquire($"caller-{i}", out _));

        Assert.Equal(10_000, admitted); // every new caller starts with a full bucket
        Assert.InRange(limiter.TrackedKeys, 1, 50);
    }

    [Fact]
    public void Making_room_drops_idle_full_buckets_before_spent_ones()
    {
        var limiter = new KeyedTokenBucketLimiter(_clock, capacity: 2, tokensPerPeriod: 1, period: TimeSpan.FromMinutes(1), maxKeys: 3);
        Take(limiter, "spent", 2);
        Take(limiter, "b", 1);
        Take(limiter, "c", 1);
        _clock.Advance(TimeSpan.FromMinutes(1)); // b and c are full again; "spent" has 1 of 2

        var newcomer = limiter.TryAcquire("d", out _);
        var spent = Take(limiter, "spent", 2);

        Assert.True(newcomer);
        Assert.Equal(2, limiter.TrackedKeys); // "spent" and "d"
        Assert.Equal([true, false], spent); // its state survived the trim
    }

    [Fact]
    public async Task Parallel_callers_of_one_key_get_exactly_the_bucket_s_tokens()
    {
        var limiter = new KeyedTokenBucketLimiter(_clock, capacity: 100, tokensPerPeriod: 1, period: TimeSpan.FromMinutes(1), maxKeys: 10);

        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => limiter.TryAcquire("k", out TimeSpan _))));

        Assert.Equal(100, results.Count(admitted => admitted));
    }

    [Fact]
    public void New_installations_are_admitted_again_once_the_window_has_passed_by_the_injected_clock()
    {
        var gate = new RateLimitedInstallationGate(new InstallationLimitOptions { PermitsPerWindow = 2, WindowSeconds = 3600 }, _clock);
        var alpha = TenantId.Parse("alpha");

        var window = Enumerable.Range(0, 3).Select(_ => gate.TryAdmit(alpha, "10.0.0.1")).ToList();
        var otherTenant = gate.TryAdmit(TenantId.Parse("beta"), "10.0.0.1");
        var otherAddress = gate.TryAdmit(alpha, "10.0.0.2");
        _clock.Advance(TimeSpan.FromSeconds(3599));
        var stillClosed = gate.TryAdmit(alpha, "10.0.0.1");
        _clock.Advance(TimeSpan.FromSeconds(1));
        var nextWindow = Enumerable.Range(0, 3).Select(_ => gate.TryAdmit(alpha, "10.0.0.1")).ToList();

        Assert.Equal([true, true, false], window);
        Assert.True(otherTenant);
        Assert.True(otherAddress);
        Assert.False(stillClosed);
        Assert.Equal([true, true, false], nextWindow);
    }
}
