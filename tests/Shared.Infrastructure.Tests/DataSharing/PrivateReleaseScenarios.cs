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
