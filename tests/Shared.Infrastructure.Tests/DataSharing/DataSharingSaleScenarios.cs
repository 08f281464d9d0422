using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.DataSharing.Sales;
using Shared.Domain.Wallets;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.DataSharing;

/// <summary>Recording a release's sale and crediting its contributors' wallets, exactly once per (sale, user), on both stores.</summary>
public abstract class DataSharingSaleScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Yesterday = new(2026, 11, 22);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    [StoreFact]
    public async Task A_sale_credits_each_contributor_their_split_of_an_equal_part_once_even_when_repeated_or_concurrent()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var (record, half, full, leaver) = await ReleasedDayAsync(store, clock);

        // 1000 cents among 3 contributors: the 50 % user gets floor(1000 × 50 / 300) = 166, the 100 % users 333 each;
        // the tenant keeps 168 (its half of one part and the rounding remainders).
        var sale = await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 1000, "USD", "inv-2026-001"), default);
        Assert.True(sale.IsSuccess, sale.Error?.Detail);
        Assert.Equal((3, 3, 832L, 0, false), (sale.Value.Contributors, sale.Value.Credited, sale.Value.CreditedCents, sale.Value.AlreadyCredited, sale.Value.Repeated));
        await AssertBalancesAsync(store, [166L, 333L, 333L], half, full, leaver);

        // A retry of the same sale (by release id this time) credits nobody again.
        var again = await record.HandleAsync(Alpha, new DataSharingSaleInput(null, "alpha:2026-11-22", 1000, "USD", "inv-2026-001"), default);
        Assert.True(again.Value.Repeated);
        Assert.Equal(832L, again.Value.CreditedCents);
        await AssertBalancesAsync(store, [166L, 333L, 333L], half, full, leaver);

        // Three concurrent posts of a second sale: one entry per contributor, whichever call wrote it.
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 300, "USD", "inv-2026-002"), default)));
        Assert.All(concurrent, r => Assert.True(r.IsSuccess, r.Error?.Detail));
        Assert.Single(concurrent, r => !r.Value.Repeated);
        await AssertBalancesAsync(store, [216L, 433L, 433L], half, full, leaver);
        foreach (var user in new[] { half, full, leaver })
        {
            var entries = await store.Get<IWalletStore>().ListEntriesAsync(new WalletKey(Alpha, user, WalletKind.Money), null, 10, default);
            Assert.Equal(2, entries.Count);
            Assert.All(entries, e => Assert.Equal(LedgerEntryKind.Adjustment, e.Kind));
        }

        // A contributor who changed their split since a sale was credited is not credited again by its retry.
        await store.Get<IDataSharingStore>().SetAsync(new DataSharingPreference(Alpha, half, true, 100, Now), default);
        var changed = await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 300, "USD", "inv-2026-002"), default);
        Assert.Equal((2, 1), (changed.Value.Credited, changed.Value.AlreadyCredited));
        await AssertBalancesAsync(store, [216L, 433L, 433L], half, full, leaver);

        // Another tenant's wallets are untouched.
        Assert.Equal(0, (await store.Get<WalletService>().GetBalanceAsync(new WalletKey(Beta, half, WalletKind.Money), default)).Balance);
    }

    [StoreFact]
    public async Task A_sale_retried_after_a_contributor_was_erased_credits_the_others_no_more_than_the_first_attempt_would_have()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var (record, half, full, leaver) = await ReleasedDayAsync(store, clock);
        // The first attempt recorded the sale (3 contributors then) and was cut off before crediting anyone.
        var (_, created) = await store.Get<IDataSharingSaleStore>().CreateOrGetAsync(new DataSharingSale(Alpha, "inv-cut", Yesterday, 1000, "USD", Now, 3), default);
        Assert.True(created);
        // Then one contributor was erased (their contribution marks go with their personal data).
        var contributions = store.Get<IEnumerable<Shared.Domain.Privacy.IPersonalDataStore>>().Single(s => s.Section == "data_sharing_contributions");
        Assert.True(await contributions.EraseAsync(Alpha, leaver, default) > 0);

        var retried = await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 1000, "USD", "inv-cut"), default);

        // Parts of 1000 / 3 as first recorded (166 at 50 %, 333 at 100 %), not 1000 / 2 (250 and 500): never more than the sale.
        Assert.True(retried.IsSuccess, retried.Error?.Detail);
        Assert.Equal((2, 499L), (retried.Value.Credited, retried.Value.CreditedCents));
        await AssertBalancesAsync(store, [166L, 333L, 0L], half, full, leaver);
    }

    [StoreFact]
    public async Task A_sale_that_reuses_a_reference_or_names_no_exported_release_or_the_wrong_currency_changes_nothing()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var (record, half, full, leaver) = await ReleasedDayAsync(store, clock);
        Assert.True((await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 1000, "USD", "inv-1"), default)).IsSuccess);

        var reused = await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 999, "USD", "inv-1"), default);
        Assert.Equal(RecordDataSharingSale.ReferenceReusedCode, reused.Error!.Code);
        Assert.Equal(RecordDataSharingSale.ReleaseNotFoundCode, (await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-21", null, 1000, "USD", "inv-2"), default)).Error!.Code);
        Assert.Equal(ErrorKind.Validation, (await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 1000, "EUR", "inv-3"), default)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await record.HandleAsync(Alpha, new DataSharingSaleInput(null, "beta:2026-11-22", 1000, "USD", "inv-4"), default)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", "alpha:2026-11-22", 1000, "USD", "inv-5"), default)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 0, "USD", "inv-6"), default)).Error!.Kind);
        Assert.Equal(ErrorKind.Validation, (await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 10, "USD", "no spaces"), default)).Error!.Kind);
        Assert.Equal(RecordDataSharingSale.WalletsNotConfiguredCode, (await Record(store, clock, currency: null).HandleAsync(Alpha, new DataSharingSaleInput("2026-11-22", null, 10, "USD", "inv-7"), default)).Error!.Code);

        await AssertBalancesAsync(store, [166L, 333L, 333L], half, full, leaver);
        Assert.Null(await store.Get<IDataSharingSaleStore>().GetAsync(Alpha, "inv-2", default));
    }

    [StoreFact]
    public async Task A_sale_of_a_release_without_contributors_is_refused_and_records_nothing()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var (record, _, _, _) = await ReleasedDayAsync(store, clock);
        var empty = Yesterday.AddDays(-5);
        var releases = store.Get<IDataSharingReleaseStore>();
        Assert.True(await releases.TryCreateAsync(new DataSharingReleaseRecord(Alpha, empty, "alpha:2026-11-17", 1m, 0.0000001m, 0, "2026-11-17", [1], [2], Now, null), default));
        await releases.MarkExportedAsync(Alpha, empty, Now, default);

        var refused = await record.HandleAsync(Alpha, new DataSharingSaleInput("2026-11-17", null, 1000, "USD", "inv-empty"), default);

        Assert.Equal((ErrorKind.Conflict, RecordDataSharingSale.NoContributorsCode), (refused.Error?.Kind, refused.Error?.Code));
        Assert.Null(await store.Get<IDataSharingSaleStore>().GetAsync(Alpha, "inv-empty", default));
    }

    /// <summary>An exported release of yesterday with three contributors: split 50, split 100, and one who opted out since (still credited: their data was sold).</summary>
    private static async Task<(RecordDataSharingSale Record, UserId Half, UserId Full, UserId Leaver)> ReleasedDayAsync(StoreSet store, TimeProvider clock)
    {
        var releases = store.Get<IDataSharingReleaseStore>();
        Assert.True(await releases.TryCreateAsync(new DataSharingReleaseRecord(Alpha, Yesterday, "alpha:2026-11-22", 1m, 0.0000001m, 3, "2026-11-22", [1], [2], Now, null), default));
        await releases.MarkExportedAsync(Alpha, Yesterday, Now, default);
        var (half, full, leaver) = (UserId.New(), UserId.New(), UserId.New());
        var preferences = store.Get<IDataSharingStore>();
        await preferences.SetAsync(new DataSharingPreference(Alpha, half, true, 50, Now), default);
        await preferences.SetAsync(new DataSharingPreference(Alpha, full, true, 100, Now), default);
        await preferences.SetAsync(new DataSharingPreference(Alpha, leaver, false, 100, Now), default);
        await releases.RecordContributorsAsync(Alpha, Yesterday, [half, full, leaver], default);
        await releases.RecordContributorsAsync(Alpha, Yesterday.AddDays(-1), [UserId.New()], default); // another day's contributor
        return (Record(store, clock, "USD"), half, full, leaver);
    }

    private static RecordDataSharingSale Record(StoreSet store, TimeProvider clock, string? currency) =>
        new(new PointReadsOnly(store.Get<IDataSharingReleaseStore>()), store.Get<IDataSharingStore>(), store.Get<IDataSharingSaleStore>(), store.Get<WalletService>(), new FixedWalletSettings(currency), clock);

    private static async Task AssertBalancesAsync(StoreSet store, long[] expected, params UserId[] users)
    {
        var balances = new List<long>();
        foreach (var user in users)
        {
            balances.Add((await store.Get<WalletService>().GetBalanceAsync(new WalletKey(Alpha, user, WalletKind.Money), default)).Balance);
        }

        Assert.Equal(expected, balances);
    }

    /// <summary>The real release store, except that listing every release (with their files' bytes) fails: a sale reads only its day's.</summary>
    private sealed class PointReadsOnly(IDataSharingReleaseStore inner) : IDataSharingReleaseStore
    {
        public Task<IReadOnlyList<DataSharingReleaseRecord>> ListAsync(TenantId tenantId, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("A sale must not load every release of the tenant.");

        public Task<DataSharingReleaseRecord?> FindAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) => inner.FindAsync(tenantId, day, cancellationToken);

        public Task<bool> TryCreateAsync(DataSharingReleaseRecord release, CancellationToken cancellationToken) => inner.TryCreateAsync(release, cancellationToken);

        public Task<Result<PrivacyLedger>> ReserveAsync(BudgetReservation reservation, PrivacySpend monthlyBudget, CancellationToken cancellationToken) => inner.ReserveAsync(reservation, monthlyBudget, cancellationToken);

        public Task<bool> CancelReservationAsync(TenantId tenantId, DateOnly day, string runId, CancellationToken cancellationToken) => inner.CancelReservationAsync(tenantId, day, runId, cancellationToken);

        public Task MarkExportedAsync(TenantId tenantId, DateOnly day, DateTimeOffset exportedAt, CancellationToken cancellationToken) => inner.MarkExportedAsync(tenantId, day, exportedAt, cancellationToken);

        public Task RecordContributorsAsync(TenantId tenantId, DateOnly day, IReadOnlyCollection<UserId> users, CancellationToken cancellationToken) => inner.RecordContributorsAsync(tenantId, day, users, cancellationToken);

        public Task<IReadOnlyList<UserId>> ListContributorsAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) => inner.ListContributorsAsync(tenantId, day, cancellationToken);

        public Task<int> CountContributionsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => inner.CountContributionsAsync(tenantId, userId, cancellationToken);
    }

    private sealed class FixedWalletSettings(string? currency) : IWalletSettingsSource
    {
        public WalletSettings? Find(TenantId tenantId) => currency is null ? null : new WalletSettings(currency, new CampaignPrices(1, 1, 1), null);
    }
}
