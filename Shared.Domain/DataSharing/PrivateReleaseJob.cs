using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.Features;

namespace Shared.Domain.DataSharing;

/// <summary>
/// Makes, exports and accounts for one tenant's differentially private release of one UTC day
/// (<see cref="PrivateReleaseBuilder"/>; docs/decisions/0007). Order, so that a cut anywhere is finished by a rerun and
/// noise is never drawn twice for a day: (1) the ledger decides (a day already released or a spend past the monthly
/// budget is refused); (2) the release is computed and stored with its exported bytes (unique per tenant and day); (3)
/// the bytes are written once to Blob Storage; (4) contributors are counted; (5) the day's raw events are deleted. A rerun
/// of a day whose record exists only finishes steps 3–5 from the stored bytes.
///
/// Inputs: the day's events of users opted in now (a user who withdrew since is left out), and the same users' feature
/// requests of the day, categorized by <see cref="FeatureRequestCategorizer"/> from their stored text at release time
/// (the text itself never leaves this method).
/// </summary>
public sealed class PrivateReleaseJob(
    IDataSharingStore preferences,
    IDataSharingEventStore events,
    IFeatureRequestStore featureRequests,
    IDataSharingReleaseStore releases,
    IReleaseBlobStore blobs,
    DataSharingPrivacyOptions privacy,
    DataSharingOptions options,
    IRandomSource random,
    TimeProvider time)
{
    public const string NotPastDayCode = "release_day_not_past";
    private const int OptInPage = 500;

    /// <summary>The nightly run: yesterday's release (an existing one is finished if cut short, else left alone), then the retention sweep.</summary>
    public async Task<Result<PrivateReleaseReport>> RunNightlyAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        var yesterday = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-1);
        try
        {
            return await RunAsync(tenantId, yesterday, cancellationToken);
        }
        finally
        {
            // Retention holds even when the release or its export fails: raw events never outlive the limit.
            await SweepAsync(tenantId, cancellationToken);
        }
    }


    /// <summary>Deletes raw events past the retention limit, whether or not a release used them.</summary>
    public Task<int> SweepAsync(TenantId tenantId, CancellationToken cancellationToken) =>
        events.DeleteBeforeAsync(tenantId, time.GetUtcNow().AddHours(-options.RetentionHours), cancellationToken);

    /// <summary>
    /// Releases <paramref name="day"/>. A day whose release is complete is refused (<see cref="PrivacyLedger.ReleaseExistsCode"/>)
    /// and nothing changes; one cut short is finished from its stored bytes.
    /// </summary>
    public async Task<Result<PrivateReleaseReport>> RunAsync(TenantId tenantId, DateOnly day, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (day >= today)
        {
            return new Error(ErrorKind.Validation, NotPastDayCode, $"Only a past UTC day can be released; {day:yyyy-MM-dd} is not over yet.", new Dictionary<string, string[]> { ["day"] = ["Must be a UTC day before today."] });
        }

        var records = await releases.ListAsync(tenantId, cancellationToken);
        if (records.FirstOrDefault(r => r.Day == day) is { } existing)
        {
            if (existing.ExportedAt is not null)
            {
                return new Error(ErrorKind.Conflict, PrivacyLedger.ReleaseExistsCode, $"The release of {day:yyyy-MM-dd} was already made; it is not made again.");
            }

            return await FinishAsync(existing, contributors: null, resumed: true, cancellationToken);
        }

        var ledger = new PrivacyLedger(tenantId, records.Select(r => new PrivacyLedgerEntry(r.ReleaseId, r.Day, new PrivacySpend(r.Epsilon, r.Delta))));
        var optedIn = await OptedInAsync(tenantId, cancellationToken);
        var dayEvents = (await events.ListDayAsync(tenantId, day, cancellationToken)).Where(e => optedIn.Contains(e.UserId)).ToList();
        var contributors = dayEvents.Select(e => e.UserId).Distinct().ToList();
        var requests = new List<DataSharingFeatureRequest>();
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        foreach (var user in contributors)
        {
            foreach (var request in await featureRequests.ListCreatedBetweenAsync(tenantId, user, from, from.AddDays(1), cancellationToken))
            {
                requests.Add(new DataSharingFeatureRequest(user, FeatureRequestCategorizer.CategorizeFeatureRequest(request.RequestText), request.CreatedAt));
            }
        }

        var made = PrivateReleaseBuilder.Run(ledger, day, dayEvents, requests, privacy, random);
        if (!made.IsSuccess)
        {
            return made.Error!;
        }

        var release = made.Value.Release;
        var record = new DataSharingReleaseRecord(
            tenantId,
            day,
            release.Manifest.ReleaseId,
            release.Manifest.Epsilon,
            release.Manifest.Delta,
            release.Rows.Count,
            BlobFolder(day),
            ReleaseExport.RowsJsonLines(release),
            ReleaseExport.ManifestJson(release.Manifest),
            time.GetUtcNow(),
            ExportedAt: null);
        if (!await releases.TryCreateAsync(record, cancellationToken))
        {
            return new Error(ErrorKind.Conflict, PrivacyLedger.ReleaseExistsCode, $"The release of {day:yyyy-MM-dd} was made by another run.");
        }

        return await FinishAsync(record, contributors, resumed: false, cancellationToken);
    }

    public static string BlobFolder(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<Result<PrivateReleaseReport>> FinishAsync(DataSharingReleaseRecord record, List<UserId>? contributors, bool resumed, CancellationToken cancellationToken)
    {
        // Rows before the manifest: a manifest in storage means its rows file is there too.
        await blobs.WriteOnceAsync(record.TenantId, $"{record.Blob}/{ReleaseExport.RowsFileName}", record.RowsFile, cancellationToken);
        await blobs.WriteOnceAsync(record.TenantId, $"{record.Blob}/{ReleaseExport.ManifestFileName}", record.ManifestFile, cancellationToken);
        // On a resumed run the contributors are read again from the events, which are deleted only after this step (a
        // run cut after the deletion finds none, and the ones recorded before stay: recording is idempotent).
        if (contributors is null)
        {
            var optedIn = await OptedInAsync(record.TenantId, cancellationToken);
            contributors = [.. (await events.ListDayAsync(record.TenantId, record.Day, cancellationToken)).Select(e => e.UserId).Where(optedIn.Contains).Distinct()];
        }

        await releases.RecordContributorsAsync(record.TenantId, record.Day, contributors, cancellationToken);
        var deleted = await events.DeleteDayAsync(record.TenantId, record.Day, cancellationToken);

        // Last: a release marked exported is never finished again, so every step above must be done before it.
        await releases.MarkExportedAsync(record.TenantId, record.Day, time.GetUtcNow(), cancellationToken);
        return new PrivateReleaseReport(record.Day, record.Rows, record.Epsilon, record.Delta, record.Blob, contributors.Count, deleted, resumed);
    }

    private async Task<HashSet<UserId>> OptedInAsync(TenantId tenantId, CancellationToken cancellationToken)
    {
        var all = new HashSet<UserId>();
        UserId? after = null;
        while (true)
        {
            var page = await preferences.ListOptedInAsync(tenantId, after, OptInPage, cancellationToken);
            all.UnionWith(page);
            if (page.Count < OptInPage)
            {
                return all;
            }

            after = page[^1];
        }
    }
}
