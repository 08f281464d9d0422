using Shared.Domain.Common;
using Shared.Domain.Features;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Xunit;

namespace Shared.Domain.Tests;

public sealed class FeatureDomainTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly TenantId Alpha = TenantId.Parse("alpha");

    private static readonly InFlightLimit Limit = new(3, TimeSpan.FromHours(1));

    private static RequestKey ReservationKey(QuotaAccount account, string id) => RequestKey.ForReservation(account.TenantId, account.UserId, id);

    private static QuotaAccount Account(int limit = 10) => QuotaAccount.Open(Alpha, UserId.New(), PlanId.Parse("free"), new Allowance(limit, ResetPeriod.Day), Now, Now);

    [Fact]
    public void A_use_taken_under_a_key_is_given_back_once_and_makes_room_again()
    {
        var account = Account(limit: 1);
        var key = ReservationKey(account, "fr_0123456789abcdef0123456789abcdef");
        Assert.Equal(ReserveKind.Reserved, account.TryReserve(Now, key, Limit).Kind);
        Assert.Equal(ConsumeKind.Denied, account.TryConsume(Now, null).Kind);

        Assert.Equal(ReleaseOutcome.Released, account.Release(key, Now.AddMinutes(5)));
        Assert.Equal(ReleaseOutcome.AlreadyReleased, account.Release(key, Now.AddMinutes(6)));
        Assert.Equal(0, account.Used);
        Assert.Equal(ConsumeKind.Allowed, account.TryConsume(Now.AddMinutes(7), null).Kind);
        Assert.Equal(ReserveKind.QuotaExceeded, account.TryReserve(Now.AddMinutes(8), key, Limit).Kind); // a released key is spent: reserving again needs a new use
    }

    [Fact]
    public void An_in_flight_cap_below_one_is_refused_at_start_up()
    {
        Assert.Throws<InvalidOperationException>(() => new FeatureOptions { MaxInFlightPerUser = 0 }.Validate());
        Assert.Equal(3, new FeatureOptions().Validate().InFlightLimit.MaxPerUser);
    }

    [Fact]
    public void A_use_from_an_ended_period_or_an_unknown_key_is_not_given_back()
    {
        var account = Account();
        var key = ReservationKey(account, "fr_0123456789abcdef0123456789abcdef");
        account.TryReserve(Now, key, Limit);

        Assert.Equal(ReleaseOutcome.PeriodEnded, account.Release(key, Now.AddDays(1)));
        Assert.Equal(ReleaseOutcome.Unknown, account.Release(ReservationKey(account, "fr_ffffffffffffffffffffffffffffffff"), Now));
        Assert.Equal(1, account.Used);
    }

    [Fact]
    public void Rolling_over_returns_the_ended_period_once_and_starts_the_current_one_empty()
    {
        var account = Account();
        account.TryConsume(Now, null);
        account.TryConsume(Now, null);

        Assert.Null(account.RollOver(Now.AddHours(1)));
        var ended = account.RollOver(Now.AddDays(1).AddHours(2));

        Assert.Equal(2, ended!.Value.Used);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 0, 0, 0, TimeSpan.Zero), ended.Value.Ended.Start);
        Assert.Equal(0, account.Used);
        Assert.True(account.Period.Contains(Now.AddDays(1).AddHours(2)));
        Assert.Null(account.RollOver(Now.AddDays(1).AddHours(3)));
    }

    [Fact]
    public void A_job_message_round_trips_and_anything_else_is_refused()
    {
        var job = new FeatureJob(Alpha, UserId.New(), FeatureRequest.NewId(Alpha, UserId.New(), null));

        Assert.True(FeatureJob.TryParse(job.ToJson(), out var parsed));
        Assert.Equal(job, parsed);
        foreach (var bad in new[] { null, "", "{", "[]", "42", """{"tenant_id":"alpha"}""", """{"tenant_id":"alpha","user_id":"x","request_id":"fr_1"}""", job.ToJson().Replace("fr_", "xx_", StringComparison.Ordinal) })
        {
            Assert.False(FeatureJob.TryParse(bad, out _));
        }
    }

    [Fact]
    public void Ids_are_time_ordered_or_derived_from_the_idempotency_key_per_user()
    {
        var user = UserId.New();
        var first = FeatureRequest.NewId(Alpha, user, null);
        Thread.Sleep(2); // UUIDv7 orders by millisecond; within one millisecond the rest is random
        var second = FeatureRequest.NewId(Alpha, user, null);

        Assert.True(FeatureRequest.IsWellFormedId(first));
        Assert.True(string.CompareOrdinal(first, second) < 0);
        Assert.Equal(FeatureRequest.NewId(Alpha, user, "k"), FeatureRequest.NewId(Alpha, user, "k"));
        Assert.NotEqual(FeatureRequest.NewId(Alpha, user, "k"), FeatureRequest.NewId(Alpha, UserId.New(), "k"));
        Assert.NotEqual(FeatureRequest.NewId(Alpha, user, "k"), FeatureRequest.NewId(TenantId.Parse("beta"), user, "k"));
        Assert.False(FeatureRequest.IsWellFormedId("fr_XYZ"));
        Assert.False(FeatureRequest.IsWellFormedId("../../etc/passwd"));
    }

    [Fact]
    public void Only_plans_that_cost_money_get_the_priority_queue()
    {
        var free = new Plan(PlanId.Parse("free"), "Free", new Allowance(10, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true);
        var pro = new Plan(PlanId.Parse("pro"), "Pro", new Allowance(1000, ResetPeriod.Month), new Money(999, "USD"), new Money(9999, "USD"), []);
        var lifetime = new Plan(PlanId.Parse("life"), "Life", new Allowance(null, ResetPeriod.Month), new Money(0, "USD"), new Money(0, "USD"), [], priceLifetime: new Money(4900, "USD"));
        var tenant = new Tenant(Alpha, "Alpha", [free, pro, lifetime], "https://alpha.example/u?{link_token}");

        Assert.False(ReserveFeatureRequest.IsPaid(tenant, free.Id));
        Assert.True(ReserveFeatureRequest.IsPaid(tenant, pro.Id));
        Assert.True(ReserveFeatureRequest.IsPaid(tenant, lifetime.Id));
        Assert.False(ReserveFeatureRequest.IsPaid(tenant, PlanId.Parse("gone")));
    }
}
