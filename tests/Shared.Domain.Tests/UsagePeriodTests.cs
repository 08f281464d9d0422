using Shared.Domain.Quotas;
using Xunit;

namespace Shared.Domain.Tests;

public class UsagePeriodTests
{
    private static DateTimeOffset Utc(int y, int m, int d, int h = 0, int min = 0, int s = 0, int ms = 0) => new(y, m, d, h, min, s, ms, TimeSpan.Zero);

    [Fact]
    public void Daily_period_runs_from_midnight_to_midnight_utc()
    {
        var period = UsagePeriod.Containing(Utc(2026, 11, 22, 15, 30), ResetPeriod.Day, Utc(2020, 1, 1));

        Assert.Equal(Utc(2026, 11, 22), period.Start);
        Assert.Equal(Utc(2026, 11, 23), period.End);
    }

    [Fact]
    public void Daily_period_uses_utc_even_for_instants_given_with_an_offset()
    {
        var lateEveningInIndia = new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.FromHours(5.5)); // 2026-11-22 20:30 UTC

        var period = UsagePeriod.Containing(lateEveningInIndia, ResetPeriod.Day, Utc(2020, 1, 1));

        Assert.Equal(Utc(2026, 11, 22), period.Start);
    }

    [Fact]
    public void Daily_period_rolls_over_exactly_at_midnight()
    {
        var before = UsagePeriod.Containing(Utc(2026, 11, 22, 23, 59, 59, 999), ResetPeriod.Day, default);
        var at = UsagePeriod.Containing(Utc(2026, 11, 23), ResetPeriod.Day, default);

        Assert.Equal(Utc(2026, 11, 22), before.Start);
        Assert.Equal(Utc(2026, 11, 23), at.Start);
        Assert.False(before.Contains(Utc(2026, 11, 23)));
        Assert.True(at.Contains(Utc(2026, 11, 23)));
    }

    [Theory]
    [InlineData(15, 2026, 3, 20, 2026, 3, 15, 2026, 4, 15)]
    [InlineData(15, 2026, 3, 10, 2026, 2, 15, 2026, 3, 15)]
    [InlineData(28, 2026, 2, 28, 2026, 2, 28, 2026, 3, 28)]
    [InlineData(29, 2026, 2, 28, 2026, 2, 28, 2026, 3, 29)] // no Feb 29 in 2026: clamped to Feb 28
    [InlineData(29, 2028, 2, 28, 2028, 1, 29, 2028, 2, 29)] // leap year: Feb 29 exists
    [InlineData(30, 2026, 2, 27, 2026, 1, 30, 2026, 2, 28)]
    [InlineData(31, 2026, 2, 28, 2026, 2, 28, 2026, 3, 31)] // Jan 31 -> Feb 28 -> Mar 31 (clamped per month, not drifting)
    [InlineData(31, 2028, 2, 29, 2028, 2, 29, 2028, 3, 31)]
    [InlineData(31, 2026, 4, 30, 2026, 4, 30, 2026, 5, 31)]
    [InlineData(31, 2026, 4, 29, 2026, 3, 31, 2026, 4, 30)]
    [InlineData(31, 2026, 12, 31, 2026, 12, 31, 2027, 1, 31)] // across a year end
    [InlineData(5, 2027, 1, 2, 2026, 12, 5, 2027, 1, 5)]
    public void Monthly_period_starts_on_the_anchor_day_clamped_to_the_month_end(
        int anchorDay, int y, int m, int d, int startY, int startM, int startD, int endY, int endM, int endD)
    {
        var anchor = Utc(2025, 1, anchorDay);

        var period = UsagePeriod.Containing(Utc(y, m, d, 12), ResetPeriod.Month, anchor);

        Assert.Equal(Utc(startY, startM, startD), period.Start);
        Assert.Equal(Utc(endY, endM, endD), period.End);
    }

    [Fact]
    public void Monthly_period_keeps_the_anchor_time_of_day()
    {
        var anchor = Utc(2026, 1, 31, 14, 5, 9);

        var period = UsagePeriod.Containing(Utc(2026, 2, 28, 14, 5, 8), ResetPeriod.Month, anchor);

        Assert.Equal(Utc(2026, 1, 31, 14, 5, 9), period.Start);
        Assert.Equal(Utc(2026, 2, 28, 14, 5, 9), period.End);
    }

    [Fact]
    public void Monthly_period_rolls_over_exactly_at_the_anchor_instant()
    {
        var anchor = Utc(2026, 1, 31, 9, 0, 0);
        var boundary = Utc(2026, 2, 28, 9, 0, 0);

        var justBefore = UsagePeriod.Containing(boundary.AddTicks(-1), ResetPeriod.Month, anchor);
        var atBoundary = UsagePeriod.Containing(boundary, ResetPeriod.Month, anchor);

        Assert.Equal(boundary, justBefore.End);
        Assert.Equal(boundary, atBoundary.Start);
        Assert.Equal(Utc(2026, 3, 31, 9, 0, 0), atBoundary.End);
    }

    [Fact]
    public void Every_instant_of_a_leap_year_falls_in_exactly_one_monthly_period()
    {
        var anchor = Utc(2027, 8, 31, 23, 30);
        var instant = Utc(2028, 1, 1);
        var previous = UsagePeriod.Containing(instant, ResetPeriod.Month, anchor);
        while (instant < Utc(2029, 1, 1))
        {
            var period = UsagePeriod.Containing(instant, ResetPeriod.Month, anchor);
            Assert.True(period.Contains(instant));
            Assert.True(period.Start == previous.Start || period.Start == previous.End, $"gap or overlap at {instant:O}");
            previous = period;
            instant = instant.AddHours(7);
        }
    }
}
