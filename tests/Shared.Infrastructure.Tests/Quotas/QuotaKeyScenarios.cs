using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Xunit;

namespace Shared.Infrastructure.Tests.Quotas;

/// <summary>
/// Keys bound to their kind, scope and period, the bounded key memory and the per-user in-flight cap, on both stores.
/// The attacks these keep out: an identify request_id pre-recording a future reservation, a key carried into the next
/// period, and one user holding unbounded reservations.
/// </summary>
public abstract class QuotaKeyScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");

    // 23:00 UTC: an hour before the free plan's day ends.
    protected static readonly DateTimeOffset LateEvening = new(2026, 11, 23, 23, 0, 0, TimeSpan.Zero);

    protected static readonly InFlightLimit ThreeInFlight = new(3, TimeSpan.FromHours(1));

    protected abstract Task<StoreSet> StoreAsync();

    protected static RequestKey IdentifyKey(UserId user, string raw) =>
        RequestKey.ForIdentify(Alpha, user, ClientRequestId.TryParse(raw, out var id) ? id.Value : throw new ArgumentException(raw));

    protected static async Task<UserId> FreeUserAsync(StoreSet store, DateTimeOffset at, int limit = 10)
    {
        var user = UserId.New();
        await store.Quotas.CreateIfMissingAsync(QuotaAccount.Open(Alpha, user, PlanId.Parse("free"), Allowance.PerDay(limit), at, at), default);
        return user;
    }

    [StoreFact]
    public async Task An_identify_key_never_satisfies_a_reservation()
    {
        await using var store = await StoreAsync();
        var user = await FreeUserAsync(store, LateEvening);
        const string requestId = "fr_0123456789abcdef0123456789abcdef";

        // The attack: an identify request_id spelled like the reservation of a future feature request.
        var identify = await store.Quotas.TryConsumeAsync(Alpha, user, IdentifyKey(user, "feature-request:" + requestId), LateEvening, default);
        var sameRaw = await store.Quotas.TryConsumeAsync(Alpha, user, IdentifyKey(user, requestId), LateEvening, default);
        var reservation = await store.Quotas.TryReserveAsync(Alpha, user, RequestKey.ForReservation(Alpha, user, requestId), ThreeInFlight, LateEvening, default);

        Assert.Equal(ConsumeKind.Allowed, identify!.Kind);
        Assert.Equal(ConsumeKind.Allowed, sameRaw!.Kind);
        Assert.Equal(ReserveKind.Reserved, reservation!.Kind);
        Assert.Equal(3, (await store.Quotas.GetAsync(Alpha, user, default))!.Used);

        // Nor can an identify key be given back, settled, or consumed as a reservation (and the other way round).
        await Assert.ThrowsAsync<ArgumentException>(() => store.Quotas.ReleaseAsync(Alpha, user, IdentifyKey(user, requestId), LateEvening, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.Quotas.SettleAsync(Alpha, user, IdentifyKey(user, requestId), default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.Quotas.TryReserveAsync(Alpha, user, IdentifyKey(user, requestId), ThreeInFlight, LateEvening, default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.Quotas.TryConsumeAsync(Alpha, user, RequestKey.ForReservation(Alpha, user, requestId), LateEvening, default));
        Assert.Equal(3, (await store.Quotas.GetAsync(Alpha, user, default))!.Used);
    }

    [StoreFact]
    public async Task Keys_recorded_in_one_period_take_new_uses_in_the_next()
    {
        await using var store = await StoreAsync();
        var user = await FreeUserAsync(store, LateEvening, limit: 10);

        // Day 1: ten uses under ten keys, the last hour of the day.
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ConsumeKind.Allowed, (await store.Quotas.TryConsumeAsync(Alpha, user, IdentifyKey(user, $"k{i}"), LateEvening.AddMinutes(i), default))!.Kind);
        }

        // Day 2, well within 24 h of every key: each repeat is a new use of the new day, so the day allows exactly ten.
        var nextDay = LateEvening.AddHours(2);
        var outcomes = new List<ConsumeKind>();
        for (var i = 0; i < 12; i++)
        {
            outcomes.Add((await store.Quotas.TryConsumeAsync(Alpha, user, IdentifyKey(user, $"k{i % 10}"), nextDay.AddMinutes(i), default))!.Kind);
        }

        Assert.Equal(Enumerable.Repeat(ConsumeKind.Allowed, 10).Concat([ConsumeKind.Replayed, ConsumeKind.Replayed]), outcomes);
        Assert.Equal(10, (await store.Quotas.GetAsync(Alpha, user, default))!.Used);

        // A reservation taken yesterday is spent too: reserving under its key today takes today's use.
        var other = await FreeUserAsync(store, LateEvening, limit: 10);
        var key = RequestKey.ForReservation(Alpha, other, "fr_ffffffffffffffffffffffffffffffff");
        Assert.Equal(ReserveKind.Reserved, (await store.Quotas.TryReserveAsync(Alpha, other, key, ThreeInFlight, LateEvening, default))!.Kind);
        Assert.Equal(ReserveKind.Replayed, (await store.Quotas.TryReserveAsync(Alpha, other, key, ThreeInFlight, LateEvening.AddMinutes(5), default))!.Kind);
        Assert.Equal(ReserveKind.Reserved, (await store.Quotas.TryReserveAsync(Alpha, other, key, ThreeInFlight, nextDay, default))!.Kind);
        Assert.Equal(1, (await store.Quotas.GetAsync(Alpha, other, default))!.Used);
    }

    [StoreFact]
    public async Task Parallel_reservations_of_one_user_never_exceed_the_in_flight_cap()
    {
        await using var store = await StoreAsync();
        var user = UserId.New();
        await store.Quotas.CreateIfMissingAsync(QuotaAccount.Open(Alpha, user, PlanId.Parse("pro"), Allowance.PerMonth(1000), LateEvening, LateEvening), default);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            store.Quotas.TryReserveAsync(Alpha, user, RequestKey.ForReservation(Alpha, user, $"fr_{i}"), ThreeInFlight, LateEvening, default))));

        Assert.Equal(3, outcomes.Count(o => o!.Kind == ReserveKind.Reserved));
        Assert.Equal(17, outcomes.Count(o => o!.Kind == ReserveKind.TooManyPending));
        var account = (await store.Quotas.GetAsync(Alpha, user, default))!;
        Assert.Equal(3, account.Used);
        Assert.Equal(3, account.InFlight(LateEvening, ThreeInFlight.Window));
    }

    [StoreFact]
    public async Task Settling_or_releasing_a_reservation_frees_its_slot_once()
    {
        await using var store = await StoreAsync();
        var user = await FreeUserAsync(store, LateEvening.AddHours(-10));
        var at = LateEvening.AddHours(-10);
        var keys = Enumerable.Range(0, 4).Select(i => RequestKey.ForReservation(Alpha, user, $"fr_{i}")).ToList();
        foreach (var key in keys.Take(3))
        {
            Assert.Equal(ReserveKind.Reserved, (await store.Quotas.TryReserveAsync(Alpha, user, key, ThreeInFlight, at, default))!.Kind);
        }

        Assert.Equal(ReserveKind.TooManyPending, (await store.Quotas.TryReserveAsync(Alpha, user, keys[3], ThreeInFlight, at, default))!.Kind);
        Assert.True(await store.Quotas.SettleAsync(Alpha, user, keys[0], default));
        Assert.False(await store.Quotas.SettleAsync(Alpha, user, keys[0], default));
        Assert.Equal(ReserveKind.Reserved, (await store.Quotas.TryReserveAsync(Alpha, user, keys[3], ThreeInFlight, at, default))!.Kind);
        Assert.Equal(ReleaseOutcome.Released, await store.Quotas.ReleaseAsync(Alpha, user, keys[1], at, default));
        Assert.False(await store.Quotas.SettleAsync(Alpha, user, keys[1], default)); // a released reservation cannot be kept

        var account = (await store.Quotas.GetAsync(Alpha, user, default))!;
        Assert.Equal(3, account.Used); // four reserved, one given back
        Assert.Equal(2, account.InFlight(at, ThreeInFlight.Window));

        // A reservation never settled (its worker died) stops counting after the window, without any write.
        Assert.Equal(ReserveKind.Reserved, (await store.Quotas.TryReserveAsync(Alpha, user, RequestKey.ForReservation(Alpha, user, "fr_late"), ThreeInFlight, at.Add(ThreeInFlight.Window), default))!.Kind);
    }

    [StoreFact]
    public async Task The_key_memory_stays_bounded_and_keeps_held_reservations()
    {
        await using var store = await StoreAsync();
        var user = UserId.New();
        var at = LateEvening.AddHours(-20);
        await store.Quotas.CreateIfMissingAsync(QuotaAccount.Open(Alpha, user, PlanId.Parse("unlimited"), Allowance.Unlimited, at, at), default);
        var held = RequestKey.ForReservation(Alpha, user, "fr_held");
        await store.Quotas.TryReserveAsync(Alpha, user, held, ThreeInFlight, at, default);

        for (var i = 0; i < QuotaAccount.PruneAbove * 2; i++)
        {
            await store.Quotas.TryConsumeAsync(Alpha, user, IdentifyKey(user, $"k{i}"), at.AddSeconds(i + 1), default);
        }

        var account = (await store.Quotas.GetAsync(Alpha, user, default))!;
        Assert.InRange(account.RecentRequests.Count, QuotaAccount.MaxRememberedKeys, QuotaAccount.PruneAbove);
        Assert.Equal(1, account.InFlight(at.AddMinutes(10), ThreeInFlight.Window));
        Assert.Equal(ReleaseOutcome.Released, await store.Quotas.ReleaseAsync(Alpha, user, held, at.AddMinutes(10), default));

        // The newest keys are still replays; the oldest were forgotten first.
        var newest = await store.Quotas.TryConsumeAsync(Alpha, user, IdentifyKey(user, $"k{(QuotaAccount.PruneAbove * 2) - 1}"), at.AddMinutes(20), default);
        Assert.Equal(ConsumeKind.Replayed, newest!.Kind);
    }
}
