namespace Shared.Domain.Quotas;

/// <summary>
/// A counting window [Start, End). Daily windows start at 00:00 UTC. Monthly windows start on the billing
/// anchor's day and time of day; a day the month lacks is clamped to its last day (an anchor of Jan 31 gives
/// Feb 28/29, then Mar 31 again), which is how Stripe bills.
/// </summary>
public readonly record struct UsagePeriod(DateTimeOffset Start, DateTimeOffset End)
{
    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    public static UsagePeriod Containing(DateTimeOffset now, ResetPeriod period, DateTimeOffset anchor) => period switch
    {
        ResetPeriod.Day => Daily(now),
        ResetPeriod.Month => Monthly(now, anchor),
        _ => throw new ArgumentOutOfRangeException(nameof(period), period, null),
    };

    private static UsagePeriod Daily(DateTimeOffset now)
    {
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return new UsagePeriod(start, start.AddDays(1));
    }

    private static UsagePeriod Monthly(DateTimeOffset now, DateTimeOffset anchor)
    {
        var utcNow = now.ToUniversalTime();
        var utcAnchor = anchor.ToUniversalTime();
        var (year, month) = (utcNow.Year, utcNow.Month);
        var start = Boundary(year, month, utcAnchor);
        if (start > utcNow)
        {
            (year, month) = month == 1 ? (year - 1, 12) : (year, month - 1);
            start = Boundary(year, month, utcAnchor);
        }

        var (nextYear, nextMonth) = month == 12 ? (year + 1, 1) : (year, month + 1);
        return new UsagePeriod(start, Boundary(nextYear, nextMonth, utcAnchor));
    }

    private static DateTimeOffset Boundary(int year, int month, DateTimeOffset anchor)
    {
        var day = Math.Min(anchor.Day, DateTime.DaysInMonth(year, month));
        return new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero).Add(anchor.TimeOfDay);
    }
}
