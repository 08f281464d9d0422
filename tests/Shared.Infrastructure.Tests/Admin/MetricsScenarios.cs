using Shared.Domain.Admin;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Quotas;
using Shared.Domain.Usage;
using Shared.Domain.Users;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Admin;

/// <summary>
/// Admin metrics over a generated history written to the store as the billing, users, usage and feature-request
/// features write it: subscriptions started, renewed, canceled at period end, canceled at once with a refund, past due,
/// suspended, incomplete and bought for life, monthly and yearly, in two currencies, across two years. The expected
/// figures are computed here from the generator's own model (when each subscription started and ended, what each
/// payment was), not from what the store holds.
/// </summary>
public abstract class MetricsScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");
    private static readonly DateTimeOffset Now = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset HistoryStart = new(2024, 11, 1, 0, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    [StoreFact]
    public async Task Metrics_over_a_generated_history_equal_the_figures_computed_from_the_generators_model()
    {
        var time = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(time);
        var model = await History.WriteAsync(store, Alpha, seed: 1313, users: 70);
        await History.WriteAsync(store, Beta, seed: 77, users: 12); // another tenant's history must not show
        var metrics = store.Get<AdminMetrics>();

        // Sanity of the generator: every kind of subscription is there, in both currencies and both cycles.
        Assert.All(Enum.GetValues<Kind>(), k => Assert.Contains(model.Subscriptions, s => s.Kind == k));
        Assert.Contains(model.Subscriptions, s => s.Currency == "EUR" && s.Cycle == BillingCycle.Yearly);
        Assert.Contains(model.Subscriptions, s => s.Currency == "USD" && s.Cycle == BillingCycle.Monthly);

        (string? From, string? To, DateOnly First, DateOnly Last)[] windows =
        [
            ("2026-01-01", "2026-06-30", new(2026, 1, 1), new(2026, 6, 30)),
            ("2025-11-15", "2026-11-15", new(2025, 11, 15), new(2026, 11, 15)),
            ("2025-03-01", "2025-03-31", new(2025, 3, 1), new(2025, 3, 31)),
            ("2026-11-01", "2026-12-31", new(2026, 11, 1), new(2026, 12, 31)), // reaches past now: measured now
            (null, null, new(2026, 10, 22), new(2026, 11, 20)), // the default: 30 days ending today
        ];
        var churnSeen = false;
        foreach (var (from, to, first, last) in windows)
        {
            var result = await metrics.GetAsync(Alpha, from, to, default);
            Assert.True(result.IsSuccess, result.Error?.Code);
            var report = result.Value;
            var expected = model.Expect(first, last, Now);

            Assert.Equal((first, last), (report.From, report.To));
            Assert.Equal(expected.MeasuredAt, report.MeasuredAt);
            Assert.Equal(expected.Mrr, report.Mrr.Select(m => (m.Currency, m.MinorUnits)).ToList());
            Assert.Equal(expected.ActivePerPlan, report.ActiveSubscriptions.Select(p => (p.PlanId.Value, p.Count)).ToList());
            Assert.Equal(expected.NewUsers, report.NewUsers);
            Assert.Equal(expected.Conversions, report.Conversions);
            Assert.Equal(expected.ActiveAtStart, report.ActiveAtStart);
            Assert.Equal(expected.Churned, report.ChurnedSubscriptions);
            Assert.Equal(expected.ChurnRate, report.ChurnRate);
            Assert.Equal(expected.UsesPerDay, report.UsesPerDay.Select(d => (d.Day, d.Count)).ToList());
            Assert.Equal(expected.AiPerDay, report.AiRequestsPerDay.Select(d => (d.Day, d.Count)).ToList());
            churnSeen |= expected.Churned > 0;
        }

        // The windows exercise what they claim: churn, two currencies of MRR and daily counts that are not all zero.
        Assert.True(churnSeen);
        var year = (await metrics.GetAsync(Alpha, "2025-11-15", "2026-11-15", default)).Value;
        Assert.Equal(["EUR", "USD"], year.Mrr.Select(m => m.Currency));
        Assert.Contains(year.UsesPerDay, d => d.Count > 0);
        Assert.Contains(year.AiRequestsPerDay, d => d.Count > 0);
        Assert.True(year.NewUsers > 0 && year.Conversions > 0);
    }

    [StoreFact]
    public async Task Mrr_rounds_the_sum_of_yearly_twelfths_once_per_currency()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var billing = store.Get<IBillingStore>();
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

        // 3 × 1,001 / 12 = 250.25 each summed; rounding each one first would give 3 × 83 = 249.
        foreach (var i in Enumerable.Range(0, 3))
        {
            var user = UserId.New();
            var id = $"sub_y{i}";
            await billing.SaveSubscriptionIfNewerAsync(new Subscription(Alpha, user, id, "cus_" + i, PlanId.Parse("pro"), BillingCycle.Yearly, SubscriptionStatus.Active, start, start.AddYears(1), false, null, start, start), default);
            await billing.RecordPaymentAsync(new PaymentRecord(Alpha, user, "in_y" + i, id, new Money(1_001, "INR"), "succeeded", start), default);
        }

        var report = (await store.Get<AdminMetrics>().GetAsync(Alpha, "2026-04-01", "2026-04-30", default)).Value;
        Assert.Equal([new MetricsAmount("INR", 250)], report.Mrr);
        Assert.Equal(3, report.ActiveSubscriptions.Single().Count);
        Assert.Equal(3, report.ActiveAtStart);
        Assert.Equal(0m, report.ChurnRate); // three live at the start, none churned
    }

    [StoreFact]
    public async Task Uses_per_day_are_counted_in_the_store_exactly_at_day_boundaries_and_per_tenant()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var day1 = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var alice = UserId.New();
        var bob = UserId.New();
        var records = new List<UsageRecord>();
        for (var i = 0; i < 40; i++)
        {
            records.Add(new UsageRecord(Alpha, i % 2 == 0 ? alice : bob, "identify", ConsumeKind.Allowed, day1.AddHours(i % 24))); // day 1: 40
        }

        records.Add(new UsageRecord(Alpha, alice, "identify", ConsumeKind.Allowed, day1.AddDays(1).AddMilliseconds(-1))); // day 1's last instant
        records.Add(new UsageRecord(Alpha, alice, "identify", ConsumeKind.Allowed, day1.AddDays(1))); // day 2's first
        records.Add(new UsageRecord(Alpha, bob, "identify", ConsumeKind.Denied, day1.AddDays(1).AddHours(1))); // not a use
        records.Add(new UsageRecord(Alpha, bob, "identify", ConsumeKind.Allowed, day1.AddDays(3).AddMilliseconds(-1))); // last instant of day 3, the window's end
        records.Add(new UsageRecord(Alpha, bob, "identify", ConsumeKind.Allowed, day1.AddDays(3))); // past the window
        records.Add(new UsageRecord(Alpha, bob, "identify", ConsumeKind.Allowed, day1.AddMilliseconds(-1))); // before it
        records.Add(new UsageRecord(Beta, UserId.New(), "identify", ConsumeKind.Allowed, day1.AddHours(2))); // another tenant's
        await store.Usage.AppendAsync(records, default);

        var counts = await store.Get<IAdminMetricsSource>().CountUsesPerDayAsync(Alpha, day1, day1.AddDays(3), default);

        Assert.Equal(
            new Dictionary<DateOnly, int> { [new(2026, 5, 1)] = 41, [new(2026, 5, 2)] = 1, [new(2026, 5, 3)] = 1 },
            counts.OrderBy(c => c.Key).ToDictionary(c => c.Key, c => c.Value));
    }

    [StoreFact]
    public async Task A_bad_window_is_a_validation_error()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var metrics = store.Get<AdminMetrics>();
        foreach (var (from, to, code) in new[]
        {
            ("2026-13-01", "2026-12-01", "validation_failed"),
            ("yesterday", null, "validation_failed"),
            ("2026-01-01T00:00:00Z", null, "validation_failed"),
            ("0001-01-01", "0001-01-02", "validation_failed"),
            ("9999-12-31", null, "validation_failed"),
            ("2026-02-01", "2026-01-31", "invalid_metrics_range"),
            ("2025-01-01", "2026-01-02", "invalid_metrics_range"), // 367 days
            ("2027-01-01", null, "invalid_metrics_range"), // after today, which is the default end
        })
        {
            var result = await metrics.GetAsync(Alpha, from, to, default);
            Assert.False(result.IsSuccess, $"{from}..{to}");
            Assert.Equal(code, result.Error!.Code);
            Assert.Equal(ErrorKind.Validation, result.Error.Kind);
        }

        Assert.True((await metrics.GetAsync(Alpha, "2024-01-01", "2024-12-31", default)).IsSuccess); // 366 days, a leap year
    }

    private enum Kind
    {
        Active,
        CancelAtPeriodEndPending,
        CanceledAtPeriodEnd,
        RefundedAndCanceled,
        PastDue,
        Suspended,
        Incomplete,
        Lifetime,
    }

    /// <summary>One generated subscription as the generator knows it: when it started and ended, and what was paid when.</summary>
    private sealed record GenSub(UserId User, string Id, string Plan, BillingCycle Cycle, string Currency, Kind Kind, DateTimeOffset Start, DateTimeOffset? End, List<(DateTimeOffset At, long Amount)> Payments)
    {
        public bool Recurring => Kind is not (Kind.Lifetime or Kind.Incomplete);

        public bool LiveAt(DateTimeOffset t) => Recurring && Start <= t && (End is null || t < End);
    }

    private sealed record Expected(
        DateTimeOffset MeasuredAt,
        List<(string, long)> Mrr,
        List<(string, int)> ActivePerPlan,
        int NewUsers,
        int Conversions,
        int ActiveAtStart,
        int Churned,
        decimal? ChurnRate,
        List<(DateOnly, int)> UsesPerDay,
        List<(DateOnly, int)> AiPerDay);

    private sealed class History
    {
        public List<GenSub> Subscriptions { get; } = [];

        public List<DateTimeOffset> UserCreations { get; } = [];

        public List<DateTimeOffset> Uses { get; } = [];

        public List<DateTimeOffset> AiRequests { get; } = [];

        public static async Task<History> WriteAsync(StoreSet store, TenantId tenant, int seed, int users)
        {
            var random = new Random(seed);
            var history = new History();
            var billing = store.Get<IBillingStore>();
            var features = store.Get<IFeatureRequestStore>();
            var usage = new List<UsageRecord>();
            var span = (Now - HistoryStart).TotalMinutes;
            var kinds = Enum.GetValues<Kind>();
            for (var u = 0; u < users; u++)
            {
                var created = HistoryStart.AddMinutes(Math.Floor(random.NextDouble() * span));
                var user = (await store.Users.RegisterInstallationAsync(tenant, ExtensionId.TryParse($"ext-{seed}-{u}", out var x) ? x.Value : throw new InvalidOperationException(), null, UserId.New(), created, default)).UserId;
                history.UserCreations.Add(created);

                // Some uses (allowed, denied, replayed: only allowed ones count) and feature requests after creation.
                for (var k = random.Next(0, 8); k > 0; k--)
                {
                    var at = created.AddMinutes(Math.Floor(random.NextDouble() * (Now - created).TotalMinutes));
                    var outcome = (ConsumeKind)random.Next(0, 3);
                    usage.Add(new UsageRecord(tenant, user, "identify", outcome, at));
                    if (outcome == ConsumeKind.Allowed)
                    {
                        history.Uses.Add(at);
                    }
                }

                for (var k = random.Next(0, 3); k > 0; k--)
                {
                    var at = created.AddMinutes(Math.Floor(random.NextDouble() * (Now - created).TotalMinutes));
                    var request = FeatureRequest.Submit(tenant, user, FeatureRequestText.Parse($"Add a dark mode number {k} for {u}"), null, at);
                    Assert.True(await features.TryCreateAsync(request, default));
                    history.AiRequests.Add(at);
                }

                for (var n = random.Next(0, 3); n > 0; n--)
                {
                    var sub = Generate(random, tenant, user, created, kinds[random.Next(kinds.Length)], $"sub_{seed}_{u}_{n}");
                    history.Subscriptions.Add(sub);
                    await StoreAsync(billing, tenant, sub);
                }
            }

            await store.Usage.AppendAsync(usage, default);
            return history;
        }

        public Expected Expect(DateOnly first, DateOnly last, DateTimeOffset now)
        {
            var start = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var end = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var at = end < now ? end : now;
            var live = Subscriptions.Where(s => s.LiveAt(at)).ToList();
            var mrr = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
            foreach (var s in live)
            {
                var paid = s.Payments.Where(p => p.At <= at).ToList();
                if (paid.Count > 0)
                {
                    var amount = paid.MaxBy(p => p.At).Amount;
                    mrr[s.Currency] = mrr.GetValueOrDefault(s.Currency) + (s.Cycle == BillingCycle.Yearly ? amount / 12m : amount);
                }
            }

            var atStart = Subscriptions.Where(s => s.LiveAt(start)).ToList();
            var churned = atStart.Count(s => !s.LiveAt(at));
            var firstStarts = Subscriptions.Where(s => s.Kind != Kind.Incomplete).GroupBy(s => s.User).Select(g => g.Min(s => s.Start));
            var days = Enumerable.Range(0, last.DayNumber - first.DayNumber + 1).Select(first.AddDays).ToList();
            List<(DateOnly, int)> PerDay(List<DateTimeOffset> times) => [.. days.Select(d => (d, times.Count(t => DateOnly.FromDateTime(t.UtcDateTime) == d)))];
            return new Expected(
                at,
                [.. mrr.Select(m => (m.Key, (long)Math.Round(m.Value, MidpointRounding.AwayFromZero)))],
                [.. live.GroupBy(s => s.Plan).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count()))],
                UserCreations.Count(c => c >= start && c < end),
                firstStarts.Count(f => f >= start && f < end),
                atStart.Count,
                churned,
                atStart.Count == 0 ? null : Math.Round((decimal)churned / atStart.Count, 4, MidpointRounding.AwayFromZero),
                PerDay(Uses),
                PerDay(AiRequests));
        }

        private static GenSub Generate(Random random, TenantId tenant, UserId user, DateTimeOffset created, Kind kind, string id)
        {
            _ = tenant;
            var cycle = kind == Kind.Lifetime ? BillingCycle.Lifetime : random.Next(3) == 0 ? BillingCycle.Yearly : BillingCycle.Monthly;
            var currency = random.Next(2) == 0 ? "USD" : "EUR";
            var plan = random.Next(2) == 0 ? "pro" : "team";
            var start = created.AddMinutes(random.Next(0, 60 * 24 * 200));
            if (start > Now)
            {
                start = created;
            }

            // Prices that do not divide by 12, and a monthly price rise after the third payment (the latest payment counts).
            var price = cycle == BillingCycle.Yearly ? random.Next(9_000, 15_000) : random.Next(800, 1_600);
            var payments = new List<(DateTimeOffset, long)>();
            DateTimeOffset Period(int k) => cycle == BillingCycle.Yearly ? start.AddYears(k) : start.AddMonths(k);
            long Price(int k) => cycle == BillingCycle.Monthly && k >= 3 ? price + 100 : price;
            var periodsSoFar = 0;
            while (Period(periodsSoFar) <= Now)
            {
                periodsSoFar++;
            }

            DateTimeOffset? end = null;
            int paidPeriods;
            switch (kind)
            {
                case Kind.Lifetime:
                    return new GenSub(user, "lifetime_" + id, plan, cycle, currency, kind, start, null, [(start, price * 20)]);
                case Kind.Incomplete:
                    return new GenSub(user, id, plan, cycle, currency, kind, start, null, []);
                case Kind.CanceledAtPeriodEnd when periodsSoFar > 1:
                    paidPeriods = random.Next(1, periodsSoFar);
                    end = Period(paidPeriods);
                    break;
                case Kind.RefundedAndCanceled:
                    paidPeriods = random.Next(1, periodsSoFar + 1);
                    var within = (Period(paidPeriods) - Period(paidPeriods - 1)).TotalMinutes;
                    end = Period(paidPeriods - 1).AddMinutes(Math.Floor(random.NextDouble() * Math.Min(within, (Now - Period(paidPeriods - 1)).TotalMinutes)));
                    break;
                case Kind.Suspended when periodsSoFar > 1:
                    paidPeriods = random.Next(1, periodsSoFar);
                    end = Period(paidPeriods).AddDays(7) is var g && g <= Now ? g : null;
                    if (end is null)
                    {
                        kind = Kind.PastDue; // its grace has not run out yet: still past due
                    }

                    break;
                case Kind.PastDue when periodsSoFar > 1:
                    paidPeriods = periodsSoFar - 1; // the latest renewal failed
                    break;
                default:
                    kind = kind is Kind.CancelAtPeriodEndPending ? kind : Kind.Active;
                    paidPeriods = periodsSoFar;
                    break;
            }

            for (var k = 0; k < paidPeriods; k++)
            {
                payments.Add((Period(k), Price(k)));
            }

            return new GenSub(user, id, plan, cycle, currency, kind, start, end, payments);
        }

        /// <summary>Writes the subscription's latest state and its payments the way Stripe's events leave them.</summary>
        private static async Task StoreAsync(IBillingStore billing, TenantId tenant, GenSub s)
        {
            DateTimeOffset Period(int k) => s.Cycle == BillingCycle.Yearly ? s.Start.AddYears(k) : s.Start.AddMonths(k);
            var plan = PlanId.Parse(s.Plan);
            var k = 0;
            var reference = s.End ?? Now;
            while (s.Cycle != BillingCycle.Lifetime && Period(k + 1) <= reference)
            {
                k++;
            }

            var periodStart = s.Cycle == BillingCycle.Lifetime ? s.Start : Period(k);
            var periodEnd = s.Cycle == BillingCycle.Lifetime ? DateTimeOffset.MaxValue : Period(k + 1);
            Subscription state = s.Kind switch
            {
                Kind.Lifetime => Subscription.StartedByCheckout(tenant, s.User, s.Id, "cus_" + s.Id, plan, BillingCycle.Lifetime, s.Start),
                Kind.Incomplete => new(tenant, s.User, s.Id, "cus_" + s.Id, plan, s.Cycle, SubscriptionStatus.Incomplete, s.Start, Period(1), false, null, s.Start, s.Start),
                Kind.CanceledAtPeriodEnd => new(tenant, s.User, s.Id, "cus_" + s.Id, plan, s.Cycle, SubscriptionStatus.Canceled, Period(k - 1), s.End!.Value, true, null, s.End.Value.AddSeconds(4), s.Start),
                Kind.RefundedAndCanceled => new(tenant, s.User, s.Id, "cus_" + s.Id, plan, s.Cycle, SubscriptionStatus.Canceled, periodStart, periodEnd, false, null, s.End!.Value, s.Start),
                Kind.Suspended => new(tenant, s.User, s.Id, "cus_" + s.Id, plan, s.Cycle, SubscriptionStatus.Suspended, Period(k - 1), Period(k), false, s.End, s.End!.Value.AddDays(-7), s.Start),
                Kind.PastDue => new(tenant, s.User, s.Id, "cus_" + s.Id, plan, s.Cycle, SubscriptionStatus.PastDue, periodStart, periodEnd, false, periodStart.AddDays(7), periodStart, s.Start),
                _ => new(tenant, s.User, s.Id, "cus_" + s.Id, plan, s.Cycle, SubscriptionStatus.Active, periodStart, periodEnd, s.Kind == Kind.CancelAtPeriodEndPending, null, periodStart, s.Start),
            };
            Assert.True(await billing.SaveSubscriptionIfNewerAsync(state, default));
            var n = 0;
            foreach (var (at, amount) in s.Payments)
            {
                // A lifetime purchase's payment names no subscription (a checkout in payment mode); invoices do.
                await billing.RecordPaymentAsync(new PaymentRecord(tenant, s.User, $"in_{s.Id}_{n++}", s.Kind == Kind.Lifetime ? null : s.Id, new Money(amount, s.Currency), "succeeded", at), default);
            }

            if (s.Kind == Kind.RefundedAndCanceled)
            {
                // Stripe's charge.refunded leaves a refund record naming the charge, not the subscription.
                await billing.RecordPaymentAsync(new PaymentRecord(tenant, s.User, $"ch_{s.Id}_refund_{s.Payments[^1].Amount}", null, new Money(s.Payments[^1].Amount, s.Currency), "refunded", s.End!.Value), default);
            }
        }
    }
}
