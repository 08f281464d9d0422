using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.Features;
using Shared.Infrastructure.DataSharing;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.DataSharing;

/// <summary>The differentially private release's stores and job on both stores: events per tenant and day, the ledger, contributions, reruns.</summary>
public abstract class PrivateReleaseScenarios
{
    protected static readonly TenantId Alpha = TenantId.Parse("alpha");
    protected static readonly TenantId Beta = TenantId.Parse("beta");
    protected static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    protected static readonly DateOnly Yesterday = new(2026, 11, 22);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    /// <summary>Loose settings (low thresholds) so a small population releases rows.</summary>
    private static DataSharingPrivacyOptions Loose(decimal monthlyEpsilon = 100m) => new()
    {
        Sites = new ReleaseTableOptions { Epsilon = 4m, Delta = 0.2m, MaxPartitionsPerUser = 3 },
        SiteCategories = new ReleaseTableOptions { Epsilon = 4m, Delta = 0.2m, MaxPartitionsPerUser = 3 },
        Kinds = new ReleaseTableOptions { Epsilon = 4m, Delta = 0.2m, MaxPartitionsPerUser = 2 },
        MonthlyEpsilon = monthlyEpsilon,
        MonthlyDelta = 0.9m,
    };

    private static DateTimeOffset At(DateOnly day, int hour, int minute = 0) => new(day.ToDateTime(new TimeOnly(hour, minute)), TimeSpan.Zero);

    private static DataSharingEvent Event(UserId user, string site, DateTimeOffset at, DataSharingEventKind kind = DataSharingEventKind.Visit) =>
        new(user, RegistrableDomain.Parse(site), kind, at);

    [StoreFact]
    public async Task Events_are_listed_per_tenant_and_utc_day_and_deleted_by_day_or_age()
    {
        await using var store = await StoreAsync();
        var events = store.Get<IDataSharingEventStore>();
        var u = UserId.New();
        await events.AddAsync(Alpha, [Event(u, "example.com", At(Yesterday, 0)), Event(u, "example.org", At(Yesterday, 23, 59)), Event(u, "example.net", At(Yesterday.AddDays(1), 0))], default);
        await events.AddAsync(Beta, [Event(UserId.New(), "beta-only.com", At(Yesterday, 12))], default);

        var day = await events.ListDayAsync(Alpha, Yesterday, default);
        Assert.Equal(["example.com", "example.org"], day.Select(e => e.Site.Value).Order(StringComparer.Ordinal));
        Assert.All(day, e => Assert.Equal(u, e.UserId));
        Assert.Equal(DataSharingEventKind.Visit, day[0].Kind);

        Assert.Equal(2, await events.DeleteDayAsync(Alpha, Yesterday, default));
        Assert.Empty(await events.ListDayAsync(Alpha, Yesterday, default));
        Assert.Single(await events.ListDayAsync(Beta, Yesterday, default)); // another tenant's are untouched

        Assert.Equal(0, await events.DeleteBeforeAsync(Alpha, At(Yesterday.AddDays(1), 0), default));
        Assert.Equal(1, await events.DeleteBeforeAsync(Alpha, At(Yesterday.AddDays(1), 0, 1), default));
        Assert.Empty(await events.ListDayAsync(Alpha, Yesterday.AddDays(1), default));
    }

    [StoreFact]
    public async Task A_days_release_is_stored_once_marked_exported_and_contributions_count_once()
    {
        await using var store = await StoreAsync();
        var releases = store.Get<IDataSharingReleaseStore>();
        var record = new DataSharingReleaseRecord(Alpha, Yesterday, "alpha:2026-11-22", 1.0m, 0.0000001m, 3, "2026-11-22", [1, 2, 3], [4, 5], Now, null);

        Assert.True(await releases.TryCreateAsync(record, default));
        Assert.False(await releases.TryCreateAsync(record with { Rows = 9 }, default));
        var stored = Assert.Single(await releases.ListAsync(Alpha, default));
        Assert.Equal(record.Epsilon, stored.Epsilon);
        Assert.Equal(record.Delta, stored.Delta);
        Assert.Equal(3, stored.Rows);
        Assert.Equal(record.RowsFile, stored.RowsFile);
        Assert.Null(stored.ExportedAt);
        Assert.Empty(await releases.ListAsync(Beta, default));

        await releases.MarkExportedAsync(Alpha, Yesterday, Now.AddMinutes(1), default);
        await releases.MarkExportedAsync(Alpha, Yesterday, Now.AddMinutes(2), default);
        Assert.Equal(Now.AddMinutes(1), Assert.Single(await releases.ListAsync(Alpha, default)).ExportedAt);

        var u = UserId.New();
        await releases.RecordContributorsAsync(Alpha, Yesterday, [u], default);
        await releases.RecordContributorsAsync(Alpha, Yesterday, [u], default);
        await releases.RecordContributorsAsync(Alpha, Yesterday.AddDays(-1), [u], default);
        Assert.Equal(2, await releases.CountContributionsAsync(Alpha, u, default));
        Assert.Equal(0, await releases.CountContributionsAsync(Beta, u, default));
    }

    [StoreFact]
    public async Task The_nightly_release_counts_opted_in_users_only_exports_once_and_a_rerun_changes_nothing()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var (job, blobs, folder) = Job(store, clock, Loose());
        var preferences = store.Get<IDataSharingStore>();
        var events = store.Get<IDataSharingEventStore>();
        var requests = store.Get<IFeatureRequestStore>();

        var users = Enumerable.Range(0, 60).Select(_ => UserId.New()).ToList();
        foreach (var user in users)
        {
            await preferences.SetAsync(new DataSharingPreference(Alpha, user, true, 50, Now), default);
            await events.AddAsync(Alpha, [Event(user, "docs.example.co.uk", At(Yesterday, 10)), Event(user, "news.example.co.uk", At(Yesterday, 11), DataSharingEventKind.FeatureRequest)], default);
        }

        // Half of them asked for a dark mode yesterday (categorized from the stored text at release time).
        foreach (var user in users.Take(30))
        {
            Assert.True(await requests.TryCreateAsync(FeatureRequest.Submit(Alpha, user, FeatureRequestText.Parse("Please add a dark theme, mail me at me@example.com"), null, At(Yesterday, 12)), default));
        }

        // A user who opted out: their events are never counted.
        var withdrawn = UserId.New();
        await preferences.SetAsync(new DataSharingPreference(Alpha, withdrawn, false, 50, Now), default);
        await events.AddAsync(Alpha, Enumerable.Range(0, 1).Select(_ => Event(withdrawn, "withdrawn-user-site.com", At(Yesterday, 9))).ToList(), default);

        var result = await job.RunNightlyAsync(Alpha, default);
        Assert.True(result.IsSuccess, result.Error?.Detail);
        Assert.Equal(Yesterday, result.Value.Day);
        Assert.Equal(60, result.Value.Contributors);

        var rows = System.Text.Encoding.UTF8.GetString((await blobs.ReadAsync(Alpha, "2026-11-22/rows.jsonl", default))!);
        var manifest = System.Text.Encoding.UTF8.GetString((await blobs.ReadAsync(Alpha, "2026-11-22/manifest.json", default))!);
        Assert.Contains("\"site\":\"example.co.uk\"", rows, StringComparison.Ordinal);
        Assert.Contains("\"category\":\"dark_mode\"", rows, StringComparison.Ordinal);
        Assert.DoesNotContain("withdrawn-user-site.com", rows, StringComparison.Ordinal);
        Assert.DoesNotContain("me@example.com", rows + manifest, StringComparison.Ordinal);
        Assert.Contains("\"tenant\": \"alpha\"", manifest, StringComparison.Ordinal);
        Assert.Contains("\"mechanism\": \"discrete_laplace_noisy_threshold\"", manifest, StringComparison.Ordinal);

        Assert.DoesNotContain(await events.ListDayAsync(Alpha, Yesterday, default), e => e.UserId != withdrawn);
        Assert.Equal(1, await store.Get<IDataSharingReleaseStore>().CountContributionsAsync(Alpha, users[0], default));
        Assert.Equal(0, await store.Get<IDataSharingReleaseStore>().CountContributionsAsync(Alpha, withdrawn, default));

        // A rerun of the same night: refused, and the ledger, the files and the counts stay as they were.
        var ledger = await store.Get<IDataSharingReleaseStore>().ListAsync(Alpha, default);
        var again = await job.RunAsync(Alpha, Yesterday, default);
        Assert.Equal(PrivacyLedger.ReleaseExistsCode, again.Error!.Code);
        Assert.Equivalent(ledger, await store.Get<IDataSharingReleaseStore>().ListAsync(Alpha, default));
        Assert.Equal(rows, System.Text.Encoding.UTF8.GetString((await blobs.ReadAsync(Alpha, "2026-11-22/rows.jsonl", default))!));
        Assert.Equal(1, await store.Get<IDataSharingReleaseStore>().CountContributionsAsync(Alpha, users[0], default));
        Assert.Single(Directory.GetFiles(folder, "rows.jsonl", SearchOption.AllDirectories));

        // Retention: the withdrawn user's event is deleted once it is older than 48 hours.
        clock.Advance(TimeSpan.FromDays(2));
        await job.SweepAsync(Alpha, default);
        Assert.Empty(await events.ListDayAsync(Alpha, Yesterday, default));
    }

    [StoreFact]
    public async Task Opting_out_purges_the_users_raw_events_at_once_and_leaves_everyone_elses()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var events = store.Get<IDataSharingEventStore>();
        var handler = store.Get<DataSharingHandler>();
        var leaving = UserId.New();
        var staying = UserId.New();
        foreach (var user in new[] { leaving, staying })
        {
            Assert.True((await handler.SetAsync(Alpha, user, true, 100, default)).IsSuccess);
            await events.AddAsync(Alpha, [Event(user, "example.com", At(Yesterday, 10)), Event(user, "example.org", Now)], default);
        }

        await events.AddAsync(Beta, [Event(leaving, "example.com", At(Yesterday, 10))], default); // the same id in another tenant

        var optedOut = await handler.SetAsync(Alpha, leaving, false, null, default);
        Assert.True(optedOut.IsSuccess);
        Assert.False(optedOut.Value.OptIn);
        Assert.Equal(100, optedOut.Value.ProfitSplit);

        var left = (await events.ListDayAsync(Alpha, Yesterday, default)).Concat(await events.ListDayAsync(Alpha, DateOnly.FromDateTime(Now.UtcDateTime), default)).ToList();
        Assert.Equal(2, left.Count);
        Assert.All(left, e => Assert.Equal(staying, e.UserId));
        Assert.Single(await events.ListDayAsync(Beta, Yesterday, default));

        // Opting in again (or out twice) does not delete anything else.
        Assert.True((await handler.SetAsync(Alpha, staying, true, null, default)).IsSuccess);
        Assert.True((await handler.SetAsync(Alpha, leaving, false, null, default)).IsSuccess);
        Assert.Single(await events.ListDayAsync(Alpha, Yesterday, default));
    }

    [StoreFact]
    public async Task The_release_counts_the_category_stored_at_submission_and_categorizes_older_requests_by_keywords()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var (job, blobs, _) = Job(store, clock, Loose());
        var requests = store.Get<IFeatureRequestStore>();
        var users = Enumerable.Range(0, 60).Select(_ => UserId.New()).ToList();
        foreach (var user in users)
        {
            await store.Get<IDataSharingStore>().SetAsync(new DataSharingPreference(Alpha, user, true, 50, Now), default);
            await store.Get<IDataSharingEventStore>().AddAsync(Alpha, [Event(user, "example.com", At(Yesterday, 10))], default);
        }

        // The stored category wins over what the text's keywords would say now (the categorizer or its rules may change
        // after submission; the category is the one assigned then).
        foreach (var user in users.Take(30))
        {
            var submitted = FeatureRequest.Submit(Alpha, user, FeatureRequestText.Parse("a dark theme please"), null, At(Yesterday, 12)) with { Category = FeatureCategory.Shopping };
            Assert.True(await requests.TryCreateAsync(submitted, default));
        }

        // Requests stored before categories were have none: the release categorizes their text with the same keywords.
        foreach (var user in users.Skip(30))
        {
            var older = FeatureRequest.Submit(Alpha, user, FeatureRequestText.Parse("mute autoplay video"), null, At(Yesterday, 12)) with { Category = null };
            Assert.True(await requests.TryCreateAsync(older, default));
        }

        Assert.True((await job.RunAsync(Alpha, Yesterday, default)).IsSuccess);
        var rows = System.Text.Encoding.UTF8.GetString((await blobs.ReadAsync(Alpha, "2026-11-22/rows.jsonl", default))!);
        Assert.Contains("\"category\":\"shopping\"", rows, StringComparison.Ordinal);
        Assert.Contains("\"category\":\"media\"", rows, StringComparison.Ordinal);
        Assert.DoesNotContain("\"category\":\"dark_mode\"", rows, StringComparison.Ordinal);
    }

    [StoreFact]
    public async Task A_release_past_the_monthly_budget_is_refused_before_anything_is_stored()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var options = Loose(monthlyEpsilon: 24m); // one release costs ε = 12
        options.Sites.Delta = options.SiteCategories.Delta = options.Kinds.Delta = 0.001m; // so only ε limits here
        var (job, _, _) = Job(store, clock, options);
        Assert.True((await job.RunAsync(Alpha, Yesterday.AddDays(-2), default)).IsSuccess);
        Assert.True((await job.RunAsync(Alpha, Yesterday.AddDays(-1), default)).IsSuccess);

        var refused = await job.RunAsync(Alpha, Yesterday, default);
        Assert.Equal(PrivacyLedger.BudgetExhaustedCode, refused.Error!.Code);
        Assert.Equal(2, (await store.Get<IDataSharingReleaseStore>().ListAsync(Alpha, default)).Count);

        // Another tenant has its own budget.
        Assert.True((await job.RunAsync(Beta, Yesterday, default)).IsSuccess);
    }

    [StoreFact]
    public async Task Concurrent_reservations_of_one_month_never_spend_past_its_budget_and_a_given_back_one_is_free_again()
    {
        await using var store = await StoreAsync();
        var releases = store.Get<IDataSharingReleaseStore>();
        var cost = new PrivacySpend(1m, 0.001m);
        var budget = new PrivacySpend(3m, 1m); // three days' worth

        // Eight runs for eight days of November, all at once: the store decides each on the ledger current at its write.
        var days = Enumerable.Range(1, 8).Select(d => new DateOnly(2026, 11, d)).ToList();
        var results = await Task.WhenAll(days.Select(d => releases.ReserveAsync(new BudgetReservation(Alpha, d, cost, "run-" + d.Day, Now), budget, default)));
        Assert.Equal(3, results.Count(r => r.IsSuccess));
        Assert.All(results.Where(r => !r.IsSuccess), r => Assert.Equal(PrivacyLedger.BudgetExhaustedCode, r.Error!.Code));

        // December has its own budget; another tenant has its own.
        Assert.True((await releases.ReserveAsync(new BudgetReservation(Alpha, new DateOnly(2026, 12, 1), cost, "dec", Now), budget, default)).IsSuccess);
        Assert.True((await releases.ReserveAsync(new BudgetReservation(Beta, days[0], cost, "beta", Now), budget, default)).IsSuccess);

        // A reservation is given back only by the run that holds it; then its budget is free again.
        var held = days.Zip(results).First(p => p.Second.IsSuccess).First;
        Assert.False(await releases.CancelReservationAsync(Alpha, held, "someone-else", default));
        Assert.True(await releases.CancelReservationAsync(Alpha, held, "run-" + held.Day, default));
        Assert.False(await releases.CancelReservationAsync(Alpha, held, "run-" + held.Day, default));
        var again = await releases.ReserveAsync(new BudgetReservation(Alpha, new DateOnly(2026, 11, 30), cost, "late", Now), budget, default);
        Assert.True(again.IsSuccess, again.Error?.Detail);
        Assert.Equal(2m, again.Value.SpentInMonthOf(held).Epsilon); // the ledger before the day: the two still held

        // A day another run holds is refused while that run may still be alive.
        var busy = days.Zip(results).First(p => p.Second.IsSuccess && p.First != held).First;
        Assert.Equal(BudgetReservations.InProgressCode, (await releases.ReserveAsync(new BudgetReservation(Alpha, busy, cost, "second", Now), budget, default)).Error!.Code);
    }

    [StoreFact]
    public async Task Two_concurrent_runs_of_one_tenant_cannot_both_pass_the_monthly_budget()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var options = Loose(monthlyEpsilon: 12m); // exactly one release (ε = 12) fits this month

        // Both runs read the ledger (empty: nothing spent) before either goes on: the window in which both used to pass.
        var gated = new GatedReleaseStore(store.Get<IDataSharingReleaseStore>(), parties: 2);
        var job = new PrivateReleaseJob(store.Get<IDataSharingStore>(), store.Get<IDataSharingEventStore>(), store.Get<IFeatureRequestStore>(), gated, new FolderReleaseBlobStore(Path.Combine(Path.GetTempPath(), $"dp-exports-{Guid.NewGuid():N}")), options, new DataSharingOptions(), CryptoRandomSource.Instance, clock);

        var results = await Task.WhenAll(job.RunAsync(Alpha, Yesterday, default), job.RunAsync(Alpha, Yesterday.AddDays(-3), default)); // the nightly run and an admin's missed night
        Assert.Single(results, r => r.IsSuccess);
        Assert.Equal(PrivacyLedger.BudgetExhaustedCode, Assert.Single(results, r => !r.IsSuccess).Error!.Code);
        Assert.Single(await store.Get<IDataSharingReleaseStore>().ListAsync(Alpha, default));
    }

    [StoreFact]
    public async Task A_run_that_fails_before_its_release_is_stored_gives_its_reservation_back_and_a_crashed_ones_is_taken_over()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var options = Loose(monthlyEpsilon: 12m); // one release this month
        var events = new FailingOnceEventStore(store.Get<IDataSharingEventStore>());
        var job = new PrivateReleaseJob(store.Get<IDataSharingStore>(), events, store.Get<IFeatureRequestStore>(), store.Get<IDataSharingReleaseStore>(), new FolderReleaseBlobStore(Path.Combine(Path.GetTempPath(), $"dp-exports-{Guid.NewGuid():N}")), options, new DataSharingOptions(), CryptoRandomSource.Instance, clock);

        await Assert.ThrowsAsync<IOException>(() => job.RunAsync(Alpha, Yesterday.AddDays(-1), default));
        Assert.Empty(await store.Get<IDataSharingReleaseStore>().ListAsync(Alpha, default));

        // The budget it reserved is free again: another day of the month can be released.
        var next = await job.RunAsync(Alpha, Yesterday, default);
        Assert.True(next.IsSuccess, next.Error?.Detail);

        // A run that crashed after reserving (never stored nor gave back) blocks its day only for the lease.
        var releases = store.Get<IDataSharingReleaseStore>();
        var december = new DateOnly(2026, 12, 1);
        clock.Set(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero));
        Assert.True((await releases.ReserveAsync(new BudgetReservation(Alpha, december, options.PerRelease, "crashed", clock.GetUtcNow()), options.MonthlyBudget, default)).IsSuccess);
        clock.Advance(BudgetReservations.Lease - TimeSpan.FromMinutes(1));
        Assert.Equal(BudgetReservations.InProgressCode, (await job.RunAsync(Alpha, december, default)).Error!.Code);
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True((await job.RunAsync(Alpha, december, default)).IsSuccess);
    }

    [StoreFact]
    public async Task An_export_cut_short_is_finished_by_the_next_run_from_the_same_bytes_without_new_noise()
    {
        var clock = new ManualTimeProvider(Now);
        await using var store = await StoreAsync(clock);
        var folder = Path.Combine(Path.GetTempPath(), $"dp-exports-{Guid.NewGuid():N}");
        var flaky = new FailingOnceBlobStore(new FolderReleaseBlobStore(folder));
        var job = new PrivateReleaseJob(store.Get<IDataSharingStore>(), store.Get<IDataSharingEventStore>(), store.Get<IFeatureRequestStore>(), store.Get<IDataSharingReleaseStore>(), flaky, Loose(), new DataSharingOptions(), CryptoRandomSource.Instance, clock);
        var users = Enumerable.Range(0, 40).Select(_ => UserId.New()).ToList();
        foreach (var user in users)
        {
            await store.Get<IDataSharingStore>().SetAsync(new DataSharingPreference(Alpha, user, true, 100, Now), default);
            await store.Get<IDataSharingEventStore>().AddAsync(Alpha, [Event(user, "example.com", At(Yesterday, 8))], default);
        }

        await Assert.ThrowsAsync<IOException>(() => job.RunAsync(Alpha, Yesterday, default));
        var pending = Assert.Single(await store.Get<IDataSharingReleaseStore>().ListAsync(Alpha, default));
        Assert.Null(pending.ExportedAt);

        var resumed = await job.RunAsync(Alpha, Yesterday, default);
        Assert.True(resumed.Value.Resumed);
        Assert.Equal(pending.RowsFile, await flaky.ReadAsync(Alpha, "2026-11-22/rows.jsonl", default));
        Assert.NotNull(Assert.Single(await store.Get<IDataSharingReleaseStore>().ListAsync(Alpha, default)).ExportedAt);
        Assert.Equal(1, await store.Get<IDataSharingReleaseStore>().CountContributionsAsync(Alpha, users[0], default));
    }

    private static (PrivateReleaseJob Job, IReleaseBlobStore Blobs, string Folder) Job(StoreSet store, TimeProvider clock, DataSharingPrivacyOptions privacy)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"dp-exports-{Guid.NewGuid():N}");
        var blobs = new FolderReleaseBlobStore(folder);
        var job = new PrivateReleaseJob(store.Get<IDataSharingStore>(), store.Get<IDataSharingEventStore>(), store.Get<IFeatureRequestStore>(), store.Get<IDataSharingReleaseStore>(), blobs, privacy, new DataSharingOptions(), CryptoRandomSource.Instance, clock);
        return (job, blobs, folder);
    }

    /// <summary>Holds every caller of <see cref="ListAsync"/> until <paramref name="parties"/> callers have read the ledger (a barrier, not a delay).</summary>
    private sealed class GatedReleaseStore(IDataSharingReleaseStore inner, int parties) : IDataSharingReleaseStore
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _arrived;

        public async Task<IReadOnlyList<DataSharingReleaseRecord>> ListAsync(TenantId tenantId, CancellationToken cancellationToken)
        {
            var list = await inner.ListAsync(tenantId, cancellationToken);
            if (Interlocked.Increment(ref _arrived) == parties)
            {
                _all.TrySetResult();
            }

            // The bound only turns a hang (a party that never arrives) into a failure; it decides nothing.
            await _all.Task.WaitAsync(TimeSpan.FromMinutes(1), cancellationToken);
            return list;
        }

        public Task<DataSharingReleaseRecord?> FindAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) => inner.FindAsync(tenantId, day, cancellationToken);

        public Task<bool> TryCreateAsync(DataSharingReleaseRecord release, CancellationToken cancellationToken) => inner.TryCreateAsync(release, cancellationToken);

        public Task<Result<PrivacyLedger>> ReserveAsync(BudgetReservation reservation, PrivacySpend monthlyBudget, CancellationToken cancellationToken) => inner.ReserveAsync(reservation, monthlyBudget, cancellationToken);

        public Task<bool> CancelReservationAsync(TenantId tenantId, DateOnly day, string runId, CancellationToken cancellationToken) => inner.CancelReservationAsync(tenantId, day, runId, cancellationToken);

        public Task MarkExportedAsync(TenantId tenantId, DateOnly day, DateTimeOffset exportedAt, CancellationToken cancellationToken) => inner.MarkExportedAsync(tenantId, day, exportedAt, cancellationToken);

        public Task RecordContributorsAsync(TenantId tenantId, DateOnly day, IReadOnlyCollection<UserId> users, CancellationToken cancellationToken) => inner.RecordContributorsAsync(tenantId, day, users, cancellationToken);

        public Task<IReadOnlyList<UserId>> ListContributorsAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) => inner.ListContributorsAsync(tenantId, day, cancellationToken);

        public Task<int> CountContributionsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => inner.CountContributionsAsync(tenantId, userId, cancellationToken);
    }

    /// <summary>Fails the first read of a day's events (a failure after the reservation, before anything is stored), then behaves.</summary>
    private sealed class FailingOnceEventStore(IDataSharingEventStore inner) : IDataSharingEventStore
    {
        private int _failed;

        public Task AddAsync(TenantId tenantId, IReadOnlyList<DataSharingEvent> events, CancellationToken cancellationToken) => inner.AddAsync(tenantId, events, cancellationToken);

        public Task<IReadOnlyList<DataSharingEvent>> ListDayAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) =>
            Interlocked.Exchange(ref _failed, 1) == 0 ? throw new IOException("simulated store failure") : inner.ListDayAsync(tenantId, day, cancellationToken);

        public Task<int> DeleteDayAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken) => inner.DeleteDayAsync(tenantId, day, cancellationToken);

        public Task<int> DeleteUserAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => inner.DeleteUserAsync(tenantId, userId, cancellationToken);

        public Task<int> DeleteBeforeAsync(TenantId tenantId, DateTimeOffset cutoff, CancellationToken cancellationToken) => inner.DeleteBeforeAsync(tenantId, cutoff, cancellationToken);
    }

    /// <summary>Fails the first write (a cut between storing the release and exporting it), then behaves.</summary>
    private sealed class FailingOnceBlobStore(IReleaseBlobStore inner) : IReleaseBlobStore
    {
        private bool _failed;

        public string Kind => inner.Kind;

        public Task WriteOnceAsync(TenantId tenantId, string name, byte[] content, CancellationToken cancellationToken)
        {
            if (!_failed)
            {
                _failed = true;
                throw new IOException("simulated cut");
            }

            return inner.WriteOnceAsync(tenantId, name, content, cancellationToken);
        }

        public Task<byte[]?> ReadAsync(TenantId tenantId, string name, CancellationToken cancellationToken) => inner.ReadAsync(tenantId, name, cancellationToken);
    }
}
