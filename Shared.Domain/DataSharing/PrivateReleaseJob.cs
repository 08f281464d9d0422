using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.Features;

namespace Shared.Domain.DataSharing;

/// <summary>
/// Makes, exports and accounts for one tenant's differentially private release of one UTC day
/// (<see cref="PrivateReleaseBuilder"/>; docs/decisions/0007). Order, so that a cut anywhere is finished by a rerun and
/// noise is never drawn twice for a day: (1) the ledger decides and the spend is reserved in it in one atomic step
/// (<see cref="IDataSharingReleaseStore.ReserveAsync"/>: a day already released, one another run is making, or a spend past
/// the monthly budget is refused, so two concurrent runs of one tenant, say an admin's missed night and the nightly run,
/// cannot both pass the budget check); (2) the release is computed and stored with its exported bytes (unique per tenant
/// and day); a run that fails before its release is stored gives its reservation back (nothing was published, so
/// nothing was spent; a crashed run's reservation is taken over after <see cref="BudgetReservations.Lease"/>); (3)
/// the bytes are written once to Blob Storage; (4) contributors are counted; (5) the day's raw events are deleted. A rerun
/// of a day whose record exists only finishes steps 3–5 from the stored bytes.
///
/// Inputs: the day's events of users opted in now (a user who withdrew since is left out), and the same users' feature
/// requests of the day with the category stored at submission (<see cref="FeatureRequest.Category"/>). A request stored
/// before categories were has none: it is categorized here by the same keyword rules (<see cref="FeatureRequestCategorizer"/>)
/// from its stored text, which is what its submission would have stored; the text itself never leaves this method.
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

        var runId = Guid.NewGuid().ToString("N");
        var reserved = await releases.ReserveAsync(new BudgetReservation(tenantId, day, privacy.PerRelease, runId, time.GetUtcNow()), privacy.MonthlyBudget, cancellationToken);
        if (!reserved.IsSuccess)
        {
            return reserved.Error!;
        }

        DataSharingReleaseRecord record;
        List<UserId> contributors;
        try
        {
            var made = await MakeAsync(tenantId, day, reserved.Value, cancellationToken);
            if (!made.IsSuccess)
            {
                await releases.CancelReservationAsync(tenantId, day, runId, CancellationToken.None);
                return made.Error!;
            }

            (record, contributors) = made.Value;
            if (!await releases.TryCreateAsync(record, cancellationToken))
            {
                // Another run stored the day (one that took over this run's reservation): its release is the day's.
                await releases.CancelReservationAsync(tenantId, day, runId, CancellationToken.None);
                return new Error(ErrorKind.Conflict, PrivacyLedger.ReleaseExistsCode, $"The release of {day:yyyy-MM-dd} was made by another run.");
            }
        }
        catch (Exception)
        {
            // Nothing was stored or published: the reservation goes back (CancellationToken.None: a cancelled request
            // must still give it back), and the failure goes on unchanged.
            await releases.CancelReservationAsync(tenantId, day, runId, CancellationToken.None);
            throw;
        }

        return await FinishAsync(record, contributors, resumed: false, cancellationToken);
    }

    private async Task<Result<(DataSharingReleaseRecord Record, List<UserId> Contributors)>> MakeAsync(TenantId tenantId, DateOnly day, PrivacyLedger ledger, CancellationToken cancellationToken)
    {
        var optedIn = await OptedInAsync(tenantId, cancellationToken);
        var dayEvents = (await events.ListDayAsync(tenantId, day, cancellationToken)).Where(e => optedIn.Contains(e.UserId)).ToList();
        var contributors = dayEvents.Select(e => e.UserId).Distinct().ToList();
        var requests = new List<DataSharingFeatureRequest>();
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        foreach (var user in contributors)
        {
            foreach (var request in await featureRequests.ListCreatedBetweenAsync(tenantId, user, from, from.AddDays(1), cancellationToken))
            {
                requests.Add(new DataSharingFeatureRequest(user, request.Category ?? FeatureRequestCategorizer.CategorizeFeatureRequest(request.RequestText), request.CreatedAt));
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
        return (record, contributors);
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
