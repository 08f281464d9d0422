using System.Globalization;
using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Shared.Domain.Admin;

/// <summary>
/// The admin metrics of one tenant over whole UTC days, computed from stored facts (<see cref="IAdminMetricsSource"/>)
/// at each request, never from counters kept on the side. The window is [from 00:00Z, to + 1 day 00:00Z); point-in-time
/// figures are taken at its end, or now when that is earlier (a window reaching into the future is measured now).
/// <list type="bullet">
/// <item>A recurring (monthly or yearly) subscription is <b>live</b> at instant t when it started at or before t (its
/// billing anchor) and has not ended by t: active and past-due ones have not ended; a canceled one ended at the
/// earlier of its period end and the time of the Stripe event that canceled it (an immediate cancellation, e.g. with a
/// refund, ends it then); a suspended one ended when its grace period did; an incomplete one was never live.
/// Lifetime purchases are never live: they recur never, so they are in no MRR, active or churn figure.</item>
/// <item><b>MRR</b> per currency: over the subscriptions live at the measuring instant, the amount of each one's latest
/// succeeded payment for it (an invoice naming it) at or before that instant, in that payment's currency; yearly
/// amounts count one twelfth. Summed per currency exactly (in twelfths) and rounded once, half away from zero, to a
/// minor unit. A live subscription without such a payment (a trial, a 100% coupon) adds nothing.</item>
/// <item><b>Active subscriptions</b> per plan: live at the measuring instant.</item>
/// <item><b>New users</b>: users stored now whose creation is in the window (erased users are no longer stored).</item>
/// <item><b>Conversions</b> (free to paid): users whose first subscription of any cycle, lifetime included and
/// incomplete ones excluded, started in the window.</item>
/// <item><b>Churned subscriptions</b>: of those live at the window's start (<see cref="MetricsReport.ActiveAtStart"/>),
/// the ones no longer live at the measuring instant. <b>Churn rate</b> = churned / active at start, rounded half away
/// from zero to 4 decimals; none when nothing was live at the start.</item>
/// <item><b>Uses per day</b>: usage-log records that consumed a use, per UTC day; <b>AI requests per day</b>: feature
/// requests created per UTC day. Every day of the window is listed, zeros included.</item>
/// </list>
/// </summary>
public sealed class AdminMetrics(IAdminMetricsSource source, TimeProvider time)
{
    /// <summary>The longest window one request may ask for, in days (a leap year).</summary>
    public const int MaxDays = 366;

    /// <summary>The window when none is given: the 30 days ending today (UTC).</summary>
    public const int DefaultDays = 30;

    public const string DateFormat = "yyyy-MM-dd";

    private const string InvalidRange = "invalid_metrics_range";

    // Bounds that keep every derived instant representable (the day after the last, milliseconds since the epoch).
    private static readonly DateOnly Earliest = new(1970, 1, 1);
    private static readonly DateOnly Latest = new(9999, 12, 30);

    public async Task<Result<MetricsReport>> GetAsync(TenantId tenantId, string? from, string? to, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var window = ParseWindow(from, to, DateOnly.FromDateTime(now.UtcDateTime));
        if (!window.IsSuccess)
        {
            return window.Error!;
        }

        var (first, last) = window.Value;
        var start = StartOf(first);
        var end = StartOf(last.AddDays(1));
        var measuredAt = end < now ? end : now;
        if (measuredAt < start)
        {
            measuredAt = start; // a window wholly in the future: measured at its start, where nothing has changed yet
        }

        var subscriptions = (await source.ListSubscriptionsAsync(tenantId, cancellationToken)).Where(s => s.TenantId == tenantId).ToList();
        var payments = await source.ListSubscriptionPaymentsAsync(tenantId, measuredAt, cancellationToken);
        var newUsers = await source.CountUsersCreatedAsync(tenantId, start, end, cancellationToken);
        var uses = await source.CountUsesPerDayAsync(tenantId, start, end, cancellationToken);
        var ai = await source.CountAiRequestsPerDayAsync(tenantId, start, end, cancellationToken);

        var liveNow = subscriptions.Where(s => IsLive(s, measuredAt)).ToList();
        var liveAtStart = subscriptions.Where(s => IsLive(s, start)).ToList();
        var churned = liveAtStart.Count(s => !IsLive(s, measuredAt));
        var conversions = subscriptions
            .Where(s => s.Status != SubscriptionStatus.Incomplete)
            .GroupBy(s => s.UserId)
            .Count(g => g.Min(s => s.BillingAnchor) is var firstStart && firstStart >= start && firstStart < end);

        return new MetricsReport(
            first,
            last,
            measuredAt,
            Mrr(liveNow, payments, measuredAt),
            [.. liveNow.GroupBy(s => s.PlanId).Select(g => new MetricsPlanCount(g.Key, g.Count())).OrderBy(p => p.PlanId.Value, StringComparer.Ordinal)],
            newUsers,
            conversions,
            liveAtStart.Count,
            churned,
            liveAtStart.Count == 0 ? null : Math.Round((decimal)churned / liveAtStart.Count, 4, MidpointRounding.AwayFromZero),
            Days(first, last, uses),
            Days(first, last, ai));
    }

    /// <summary>Whether a recurring subscription is live at <paramref name="at"/> (see the class summary).</summary>
    public static bool IsLive(Subscription subscription, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        if (subscription.Cycle == BillingCycle.Lifetime || subscription.BillingAnchor > at)
        {
            return false;
        }

        return subscription.Status switch
        {
            SubscriptionStatus.Active or SubscriptionStatus.PastDue => true,
            SubscriptionStatus.Canceled => at < Min(subscription.CurrentPeriodEnd, subscription.StripeUpdatedAt),
            SubscriptionStatus.Suspended => at < (subscription.GraceUntil ?? subscription.StripeUpdatedAt),
            _ => false,
        };
    }

    /// <summary>Parses ?from=&amp;to= (yyyy-MM-dd, UTC days, both included); either may be left out (see <see cref="DefaultDays"/>).</summary>
    public static Result<(DateOnly From, DateOnly To)> ParseWindow(string? from, string? to, DateOnly today)
    {
        var fields = new Dictionary<string, string[]>();
        DateOnly? parsedFrom = null, parsedTo = null;
        foreach (var (name, text) in new[] { ("from", from), ("to", to) })
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            if (DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day >= Earliest && day <= Latest)
            {
                if (name == "from")
                {
                    parsedFrom = day;
                }
                else
                {
                    parsedTo = day;
                }
            }
            else
            {
                fields[name] = [$"A UTC date as {DateFormat}, from 1970-01-01 to 9999-12-30."];
            }
        }

        if (fields.Count > 0)
        {
            return Error.Validation(fields);
        }

        var last = parsedTo ?? (parsedFrom is { } f && f.AddDays(DefaultDays - 1) < today ? f.AddDays(DefaultDays - 1) : today);
        var first = parsedFrom ?? last.AddDays(-(DefaultDays - 1));
        if (first > last)
        {
            return new Error(ErrorKind.Validation, InvalidRange, "from is after to.", new Dictionary<string, string[]> { ["from"] = ["Not after to."] });
        }

        if (last.DayNumber - first.DayNumber + 1 > MaxDays)
        {
            return new Error(ErrorKind.Validation, InvalidRange, $"The window spans more than {MaxDays} days.", new Dictionary<string, string[]> { ["to"] = [$"At most {MaxDays} days after from, both included."] });
        }

        return (first, last);
    }

    private static IReadOnlyList<MetricsAmount> Mrr(IEnumerable<Subscription> live, IReadOnlyList<PaymentRecord> payments, DateTimeOffset at)
    {
        var latest = payments
            .Where(p => p.Status == "succeeded" && p.StripeSubscriptionId is not null && p.At <= at)
            .GroupBy(p => (p.UserId, p.StripeSubscriptionId))
            .ToDictionary(g => g.Key, g => g.MaxBy(p => (p.At, p.Id))!);
        var twelfths = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var subscription in live)
        {
            if (latest.TryGetValue((subscription.UserId, subscription.StripeSubscriptionId), out var payment))
            {
                var perMonth = subscription.Cycle == BillingCycle.Yearly ? payment.Amount.MinorUnits : payment.Amount.MinorUnits * 12;
                twelfths[payment.Amount.Currency] = twelfths.GetValueOrDefault(payment.Amount.Currency) + perMonth;
            }
        }

        return [.. twelfths.Select(t => new MetricsAmount(t.Key, (long)Math.Round(t.Value / 12m, MidpointRounding.AwayFromZero)))];
    }

    private static IReadOnlyList<MetricsDayCount> Days(DateOnly first, DateOnly last, IReadOnlyDictionary<DateOnly, int> counts) =>
        [.. Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(i => first.AddDays(i)).Select(d => new MetricsDayCount(d, counts.GetValueOrDefault(d)))];

    private static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
