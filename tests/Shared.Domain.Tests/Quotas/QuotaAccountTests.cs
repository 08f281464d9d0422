using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Xunit;

namespace Shared.Domain.Tests.Quotas;

public class QuotaAccountTests
{
    private static readonly TenantId Tenant = TenantId.Parse("alpha");
    private static readonly UserId User = UserId.Parse("01a200ec-790f-7686-a2c9-be91690ee801");
    private static readonly DateTimeOffset Monday = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static QuotaAccount Free(DateTimeOffset now) => QuotaAccount.Open(Tenant, User, PlanId.Parse("free"), Allowance.PerDay(10), now, now);

    private static readonly InFlightLimit ThreeInFlight = new(3, TimeSpan.FromHours(1));

    private static RequestKey Key(string raw) => RequestKey.ForIdentify(Tenant, User, ClientRequestId.TryParse(raw, out var id) ? id.Value : throw new ArgumentException(raw));

    private static RequestKey Reservation(string id) => RequestKey.ForReservation(Tenant, User, id);

    [Fact]
    public void Free_plan_allows_ten_uses_then_denies_without_consuming()
    {
        var account = Free(Monday);

        var remaining = Enumerable.Range(0, 10).Select(_ => account.TryConsume(Monday, null)).Select(o => (o.Kind, o.Status.Remaining)).ToList();
        var eleventh = account.TryConsume(Monday, null);

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (ConsumeKind.Allowed, (int?)(9 - i))), remaining);
        Assert.Equal(ConsumeKind.Denied, eleventh.Kind);
        Assert.Equal(10, account.Used);
    }

    [Fact]
    public void Exhausted_account_is_usable_again_at_the_next_midnight_exactly()
    {
        var account = Free(Monday);
        for (var i = 0; i < 10; i++)
        {
            account.TryConsume(Monday, null);
        }

        var midnight = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(ConsumeKind.Denied, account.TryConsume(midnight.AddTicks(-1), null).Kind);
        var first = account.TryConsume(midnight, null);

        Assert.Equal(ConsumeKind.Allowed, first.Kind);
        Assert.Equal(9, first.Status.Remaining);
        Assert.Equal(midnight, account.Period.Start);
    }

    [Fact]
    public void A_request_arriving_days_later_lands_in_the_period_containing_it()
    {
        var account = Free(Monday);
        account.TryConsume(Monday, null);

        var later = Monday.AddDays(5).AddHours(3);
        var outcome = account.TryConsume(later, null);

        Assert.Equal(new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero), outcome.Status.Period.Start);
        Assert.Equal(1, outcome.Status.Used);
    }

    [Fact]
    public void Repeating_a_request_key_returns_the_first_answer_and_consumes_nothing()
    {
        var account = Free(Monday);
        var first = account.TryConsume(Monday, Key("r-1"));
        account.TryConsume(Monday, null);

        var repeat = account.TryConsume(Monday.AddMinutes(5), Key("r-1"));

        Assert.Equal(ConsumeKind.Allowed, first.Kind);
        Assert.Equal(ConsumeKind.Replayed, repeat.Kind);
        Assert.Equal(first.Status.Remaining, repeat.Status.Remaining);
        Assert.Equal(2, account.Used);
    }

    [Fact]
    public void A_request_key_is_forgotten_after_24_hours()
    {
        var account = QuotaAccount.Open(Tenant, User, PlanId.Parse("pro"), Allowance.PerMonth(1000), Monday, Monday);
        account.TryConsume(Monday, Key("r-1"));

        var dayLater = account.TryConsume(Monday.AddHours(24), Key("r-1"));

        Assert.Equal(ConsumeKind.Allowed, dayLater.Kind);
        Assert.Equal(2, account.Used);
    }

    [Fact]
    public void Denied_requests_do_not_record_their_key()
    {
        var account = QuotaAccount.Open(Tenant, User, PlanId.Parse("none"), Allowance.PerDay(0), Monday, Monday);

        account.TryConsume(Monday, Key("r-1"));

        Assert.Empty(account.RecentRequests);
    }

    [Fact]
    public void Unlimited_plan_always_allows_and_reports_no_limit()
    {
        var account = QuotaAccount.Open(Tenant, User, PlanId.Parse("unlimited"), Allowance.Unlimited, Monday, Monday);

        var outcomes = Enumerable.Range(0, 5000).Select(_ => account.TryConsume(Monday, null)).ToList();

        Assert.All(outcomes, o => Assert.Equal(ConsumeKind.Allowed, o.Kind));
        Assert.Null(outcomes[^1].Status.Remaining);
        Assert.False(outcomes[^1].Status.IsLow);
        Assert.Equal(5000, account.Used);
    }

    [Fact]
    public void Yearly_billing_still_grants_a_monthly_allowance_from_the_anchor()
    {
        // A yearly Pro subscription started on Jan 31: 1,000 uses per month, periods clamped at month ends.
        var anchor = new DateTimeOffset(2026, 1, 31, 8, 0, 0, TimeSpan.Zero);
        var account = QuotaAccount.Open(Tenant, User, PlanId.Parse("pro"), Allowance.PerMonth(1000), anchor, anchor);
        for (var i = 0; i < 1000; i++)
        {
            account.TryConsume(anchor.AddDays(1), null);
        }

        var stillFebruary = account.TryConsume(new DateTimeOffset(2026, 2, 28, 7, 59, 59, TimeSpan.Zero), null);
        var nextPeriod = account.TryConsume(new DateTimeOffset(2026, 2, 28, 8, 0, 0, TimeSpan.Zero), null);

        Assert.Equal(ConsumeKind.Denied, stillFebruary.Kind);
        Assert.Equal(ConsumeKind.Allowed, nextPeriod.Kind);
        Assert.Equal(999, nextPeriod.Status.Remaining);
        Assert.Equal(new DateTimeOffset(2026, 3, 31, 8, 0, 0, TimeSpan.Zero), nextPeriod.Status.Period.End);
    }

    [Theory]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(10, true)]
    public void Quota_is_low_once_eighty_percent_is_spent(int used, bool low)
    {
        var status = new QuotaStatus(PlanId.Parse("free"), Allowance.PerDay(10), used, default);

        Assert.Equal(low, status.IsLow);
    }

    [Fact]
    public void Status_after_the_period_ended_shows_a_fresh_period_without_changing_the_account()
    {
        var account = Free(Monday);
        account.TryConsume(Monday, null);

        var status = account.StatusAt(Monday.AddDays(1));

        Assert.Equal(0, status.Used);
        Assert.Equal(10, status.Remaining);
        Assert.Equal(1, account.Used);
    }

    [Fact]
    public void The_fast_path_predicate_agrees_with_TryConsume()
    {
        var account = Free(Monday);
        for (var i = 0; i < 12; i++)
        {
            var fast = account.CanConsumeWithoutRollover(Monday, null);
            var kind = account.TryConsume(Monday, null).Kind;
            Assert.Equal(fast, kind == ConsumeKind.Allowed);
        }

        Assert.False(account.CanConsumeWithoutRollover(Monday.AddDays(1), null));
    }

    [Fact]
    public void Remembered_keys_are_capped_oldest_first()
    {
        var account = QuotaAccount.Open(Tenant, User, PlanId.Parse("unlimited"), Allowance.Unlimited, Monday, Monday);
        for (var i = 0; i < QuotaAccount.MaxRememberedKeys + 5; i++)
        {
            account.TryConsume(Monday.AddSeconds(i), Key($"k{i}"));
        }

        Assert.Equal(QuotaAccount.MaxRememberedKeys, account.RecentRequests.Count);
        Assert.Equal(ConsumeKind.Allowed, account.TryConsume(Monday.AddHours(1), Key("k0")).Kind);
        Assert.Equal(ConsumeKind.Replayed, account.TryConsume(Monday.AddHours(1), Key($"k{QuotaAccount.MaxRememberedKeys}")).Kind);
    }

    [Fact]
    public void An_identify_key_never_satisfies_a_reservation()
    {
        var account = Free(Monday);
        var identify = Key("feature-request:fr_0123456789abcdef0123456789abcdef");
        var reservation = Reservation("fr_0123456789abcdef0123456789abcdef");

        account.TryConsume(Monday, identify);
        var reserved = account.TryReserve(Monday.AddMinutes(1), reservation, ThreeInFlight);

        Assert.NotEqual(identify.Hash, reservation.Hash);
        Assert.Equal(ReserveKind.Reserved, reserved.Kind);
        Assert.Equal(2, account.Used);
        Assert.Throws<ArgumentException>(() => account.TryConsume(Monday, reservation));
        Assert.Throws<ArgumentException>(() => account.TryReserve(Monday, identify, ThreeInFlight));
        Assert.Throws<ArgumentException>(() => account.Release(identify, Monday));
        Assert.Throws<ArgumentException>(() => account.Settle(identify));
    }

    [Fact]
    public void The_same_raw_key_is_a_different_key_for_another_kind_user_or_tenant()
    {
        var raw = ClientRequestId.TryParse("r-1", out var id) ? id.Value : throw new InvalidOperationException();
        var mine = RequestKey.ForIdentify(Tenant, User, raw);

        Assert.Equal(mine, RequestKey.ForIdentify(Tenant, User, raw));
        Assert.NotEqual(mine, RequestKey.ForIdentify(Tenant, UserId.New(), raw));
        Assert.NotEqual(mine, RequestKey.ForIdentify(TenantId.Parse("beta"), User, raw));
        Assert.NotEqual(mine.Hash[1..], RequestKey.ForReservation(Tenant, User, "r-1").Hash[1..]);
        Assert.Matches("^i[0-9a-f]{32}$", mine.Hash);
        Assert.Matches("^r[0-9a-f]{32}$", RequestKey.ForReservation(Tenant, User, "r-1").Hash);
        Assert.True(RequestKey.TryFromHash(mine.Hash, out var back) && back == mine);
        Assert.False(RequestKey.TryFromHash("0123456789abcdef0123456789abcdef", out _)); // an unkinded key of an earlier version
    }

    [Fact]
    public void A_key_recorded_in_an_earlier_period_takes_a_new_use_in_the_next()
    {
        var account = Free(Monday.AddHours(13)); // 23:00 UTC
        var late = Monday.AddHours(13);
        var first = account.TryConsume(late, Key("r-1"));
        var afterMidnight = account.TryConsume(late.AddHours(2), Key("r-1")); // within 24 h, but a new day

        Assert.Equal(ConsumeKind.Allowed, first.Kind);
        Assert.Equal(ConsumeKind.Allowed, afterMidnight.Kind);
        Assert.Equal(1, account.Used);
        Assert.Equal(ConsumeKind.Replayed, account.TryConsume(late.AddHours(3), Key("r-1")).Kind);
        Assert.False(account.CanConsumeWithoutRollover(late.AddHours(3), Key("r-1")));
    }

    [Fact]
    public void A_reservation_from_an_earlier_period_or_one_given_back_takes_a_new_use()
    {
        var account = Free(Monday);
        var key = Reservation("fr_a");
        account.TryReserve(Monday, key, ThreeInFlight);

        Assert.Equal(ReserveKind.Replayed, account.TryReserve(Monday.AddMinutes(1), key, ThreeInFlight).Kind);
        Assert.Equal(ReleaseOutcome.Released, account.Release(key, Monday.AddMinutes(2)));
        Assert.Equal(ReserveKind.Reserved, account.TryReserve(Monday.AddMinutes(3), key, ThreeInFlight).Kind);
        Assert.Equal(1, account.Used);
        Assert.Equal(ReserveKind.Reserved, account.TryReserve(Monday.AddDays(1), key, ThreeInFlight).Kind);
        Assert.Equal(1, account.Used); // the new day's first use
    }

    [Fact]
    public void At_most_the_cap_of_reservations_are_in_flight_and_settling_or_releasing_frees_a_slot()
    {
        var account = QuotaAccount.Open(Tenant, User, PlanId.Parse("pro"), Allowance.PerMonth(1000), Monday, Monday);
        var outcomes = Enumerable.Range(0, 5).Select(i => account.TryReserve(Monday, Reservation($"fr_{i}"), ThreeInFlight).Kind).ToList();

        Assert.Equal([ReserveKind.Reserved, ReserveKind.Reserved, ReserveKind.Reserved, ReserveKind.TooManyPending, ReserveKind.TooManyPending], outcomes);
        Assert.Equal(3, account.Used);
        Assert.Equal(ReserveKind.Replayed, account.TryReserve(Monday, Reservation("fr_0"), ThreeInFlight).Kind); // a repeat is not refused

        Assert.True(account.Settle(Reservation("fr_0")));
        Assert.False(account.Settle(Reservation("fr_0")));
        Assert.Equal(ReserveKind.Reserved, account.TryReserve(Monday, Reservation("fr_3"), ThreeInFlight).Kind);
        Assert.Equal(ReleaseOutcome.Released, account.Release(Reservation("fr_1"), Monday));
        Assert.Equal(ReserveKind.Reserved, account.TryReserve(Monday, Reservation("fr_4"), ThreeInFlight).Kind);
        Assert.Equal(ReserveKind.TooManyPending, account.TryReserve(Monday, Reservation("fr_5"), ThreeInFlight).Kind);
        Assert.Equal(4, account.Used); // 5 reserved, 1 given back

        // A reservation that was never settled stops counting after the window (the reservation TTL).
        Assert.Equal(ReserveKind.Reserved, account.TryReserve(Monday.AddHours(1), Reservation("fr_5"), ThreeInFlight).Kind);
    }

    [Fact]
    public void A_burst_of_identify_keys_never_pushes_out_a_held_reservation()
    {
        var account = QuotaAccount.Open(Tenant, User, PlanId.Parse("unlimited"), Allowance.Unlimited, Monday, Monday);
        account.TryReserve(Monday, Reservation("fr_held"), ThreeInFlight);
        for (var i = 0; i < QuotaAccount.MaxRememberedKeys * 3; i++)
        {
            account.TryConsume(Monday.AddSeconds(i + 1), Key($"k{i}"));
        }

        Assert.Equal(QuotaAccount.MaxRememberedKeys, account.RecentRequests.Count);
        Assert.Equal(1, account.InFlight(Monday.AddMinutes(10), TimeSpan.FromHours(1)));
        Assert.Equal(ReleaseOutcome.Released, account.Release(Reservation("fr_held"), Monday.AddMinutes(10)));
    }

    [Fact]
    public void Upgrading_starts_the_paid_allowance_at_once_from_the_billing_anchor()
    {
        var account = Free(Monday);
        for (var i = 0; i < 10; i++)
        {
            account.TryConsume(Monday, null);
        }

        var paidAt = Monday.AddHours(2);
        var changed = account.ChangePlan(PlanId.Parse("pro"), Allowance.PerMonth(1000), paidAt, paidAt);
        var next = account.TryConsume(paidAt.AddMinutes(1), null);

        Assert.True(changed);
        Assert.Equal(ConsumeKind.Allowed, next.Kind);
        Assert.Equal(999, next.Status.Remaining);
        Assert.Equal(new UsagePeriod(paidAt, paidAt.AddMonths(1)), account.Period);
    }

    [Fact]
    public void Applying_the_same_plan_change_twice_changes_nothing_the_second_time()
    {
        var account = Free(Monday);
        account.ChangePlan(PlanId.Parse("pro"), Allowance.PerMonth(1000), Monday, Monday);
        account.TryConsume(Monday, null);

        var again = account.ChangePlan(PlanId.Parse("pro"), Allowance.PerMonth(1000), Monday, Monday.AddHours(1));

        Assert.False(again);
        Assert.Equal(1, account.Used);
    }

    [Fact]
    public void Changing_the_limit_within_the_same_window_keeps_what_was_used()
    {
        var anchor = Monday.AddDays(-3);
        var account = QuotaAccount.Open(Tenant, User, PlanId.Parse("pro"), Allowance.PerMonth(1000), anchor, Monday);
        for (var i = 0; i < 5; i++)
        {
            account.TryConsume(Monday, null);
        }

        account.ChangePlan(PlanId.Parse("unlimited"), Allowance.Unlimited, anchor, Monday);

        Assert.Equal(5, account.Used);
        Assert.True(account.Allowance.IsUnlimited);
    }
}
