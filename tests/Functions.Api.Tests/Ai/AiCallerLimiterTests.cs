using Shared.Domain.Ai;
using Shared.Infrastructure.Ai;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>Each user's share of the AI endpoints: a per-minute budget refilled by the injected clock, and a cap on calls in flight; users never share either.</summary>
public sealed class AiCallerLimiterTests
{
    [Fact]
    public void A_user_gets_their_per_minute_budget_refilled_by_the_clock_and_others_are_not_affected()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var limiter = new AiCallerLimiter(new AiGenerationOptions { PerUserPerMinute = 6, MaxInFlightPerUser = 100 }, clock);
        for (var i = 0; i < 6; i++)
        {
            limiter.TryEnter("alpha", "u1", out _)!.Dispose();
        }

        Assert.Null(limiter.TryEnter("alpha", "u1", out var refusal));
        Assert.Equal("rate_limited", refusal.Code);
        Assert.True(refusal.RetryAfter > TimeSpan.Zero && refusal.RetryAfter <= TimeSpan.FromSeconds(10));
        using (var other = limiter.TryEnter("alpha", "u2", out _))
        {
            Assert.NotNull(other); // another user's budget is their own
        }

        using (var otherTenant = limiter.TryEnter("beta", "u1", out _))
        {
            Assert.NotNull(otherTenant); // and the same user id in another tenant is another caller
        }

        clock.Advance(TimeSpan.FromSeconds(10));
        using var refilled = limiter.TryEnter("alpha", "u1", out _);
        Assert.NotNull(refilled);
    }

    [Fact]
    public void At_most_the_in_flight_cap_runs_at_once_and_a_finished_call_frees_its_slot()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var limiter = new AiCallerLimiter(new AiGenerationOptions { PerUserPerMinute = 1000, MaxInFlightPerUser = 2 }, clock);
        var first = limiter.TryEnter("alpha", "u1", out _);
        var second = limiter.TryEnter("alpha", "u1", out _);
        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(limiter.TryEnter("alpha", "u1", out var refusal));
        Assert.Equal("too_many_pending", refusal.Code);

        first!.Dispose();
        first.Dispose(); // twice frees one slot only
        using var third = limiter.TryEnter("alpha", "u1", out _);
        Assert.NotNull(third);
        Assert.Null(limiter.TryEnter("alpha", "u1", out _));
        second!.Dispose();
    }
}
