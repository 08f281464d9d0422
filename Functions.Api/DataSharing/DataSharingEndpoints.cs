using System.Globalization;
using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.DataSharing.Sales;
using Shared.Infrastructure.DataSharing;

namespace Functions.Api.DataSharing;

/// <summary>
/// The Data Sharing Program's differentially private release (issue 16, docs/decisions/0007): opted-in users' events,
/// the user's own summary, and the admins' list, download and manual run of releases. Downloads go through this API
/// (a proxying endpoint under the admin policy), not a SAS: it works the same on Azure with managed identity, Azurite and
/// the folder adapter, and no bearer URL to a sold dataset can leak.
/// </summary>
public static class DataSharingEndpoints
{
    /// <summary>Up to 100 events with addresses of up to 2,048 characters each.</summary>
    public const int EventsMaxBytes = 256 * 1024;

    public static void MapDataSharing(this RouteGroupBuilder v1)
    {
        v1.MapPost("/data-sharing/events", SubmitEventsAsync)
            .WithName("DataSharingEvents")
            .WithSummary("Stores events ({site, kind, at}) of an opted-in caller for the next nightly release; 403 with nothing stored for anyone else.")
            .Accepts<DataSharingEventsBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/data-sharing/me", GetMeAsync)
            .WithName("DataSharingMe")
            .WithSummary("The caller's opt-in, profit split, the number of releases their data went into, and the profit-split rule.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/admin/data-sharing/releases", ListReleasesAsync)
            .WithName("ListDataSharingReleases")
            .WithSummary("The tenant's differentially private releases: day, rows, ε, δ, blob and a download link.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.Admin);

        v1.MapPost("/admin/data-sharing/releases", RunReleaseAsync)
            .WithName("RunDataSharingRelease")
            .WithSummary("Makes a missed night's release (a past UTC day): 202 once made and exported; 409 if the day was released or the month's privacy budget is spent.")
            .Accepts<ReleaseRunBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Admin);

        v1.MapPost("/admin/data-sharing/sales", RecordSaleAsync)
            .WithName("RecordDataSharingSale")
            .WithSummary("Records a sale of an exported release (idempotent by reference) and credits its contributors' money wallets by the profit-split rule: 201 when recorded now, 200 for a repeat.")
            .Accepts<SaleBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Admin);

        v1.MapGet("/admin/data-sharing/releases/{day}/{file}", DownloadAsync)
            .WithName("DownloadDataSharingRelease")
            .WithSummary("A release's rows (rows.jsonl) or manifest (manifest.json), read from Blob Storage through the API.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.Admin);
    }

    private static async Task<Results<Accepted<DataSharingEventsResponse>, ProblemHttpResult>> SubmitEventsAsync(HttpContext http, SubmitDataSharingEvents submit, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<DataSharingEventsBody>(http.Request, EventsMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var items = body.Value.Events?.Select(e => e is null ? null! : new DataSharingEventInput(e.Site, e.Kind, e.At)).ToList();
        var result = await submit.HandleAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), items, cancellationToken);
        return Problems.Map(result, count => TypedResults.Accepted((string?)null, new DataSharingEventsResponse(count)));
    }

    private static async Task<Ok<DataSharingMeResponse>> GetMeAsync(HttpContext http, GetDataSharingSummary summary, CancellationToken cancellationToken)
    {
        var me = await summary.HandleAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), cancellationToken);
        return TypedResults.Ok(new DataSharingMeResponse(me.OptIn, me.ProfitSplit, me.ReleasesContributed, DataSharingSummary.ProfitSplitRule));
    }

    private static async Task<Ok<ReleaseListResponse>> ListReleasesAsync(HttpContext http, IDataSharingReleaseStore releases, CancellationToken cancellationToken)
    {
        var tenant = TenantFilter.CurrentTenant(http).Id;
        var items = (await releases.ListAsync(tenant, cancellationToken))
            .OrderByDescending(r => r.Day)
            .Select(r =>
            {
                var day = Text(r.Day);
                var exported = r.ExportedAt is not null;
                return new ReleaseItemResponse(
                    day,
                    r.Rows,
                    r.Epsilon,
                    r.Delta,
                    $"{ReleaseContainerNames.For(tenant)}/{r.Blob}/{ReleaseExport.RowsFileName}",
                    exported ? $"/api/v1/admin/data-sharing/releases/{day}/{ReleaseExport.RowsFileName}" : null,
                    exported ? $"/api/v1/admin/data-sharing/releases/{day}/{ReleaseExport.ManifestFileName}" : null);
            })
            .ToList();
        return TypedResults.Ok(new ReleaseListResponse(items));
    }

    private static async Task<Results<Accepted<ReleaseRunResponse>, ProblemHttpResult>> RunReleaseAsync(HttpContext http, PrivateReleaseJob job, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ReleaseRunBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        if (!TryParseDay(body.Value.Day, out var day))
        {
            return Problems.From(Error.Validation("day", "Required: a UTC day as yyyy-MM-dd."));
        }

        var result = await job.RunAsync(TenantFilter.CurrentTenant(http).Id, day, cancellationToken);
        return Problems.Map(result, r => TypedResults.Accepted("/api/v1/admin/data-sharing/releases", new ReleaseRunResponse(Text(r.Day), r.Rows, r.Epsilon, r.Delta, r.Blob)));
    }

    private static async Task<Results<Created<SaleResponse>, Ok<SaleResponse>, ProblemHttpResult>> RecordSaleAsync(HttpContext http, RecordDataSharingSale record, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<SaleBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var b = body.Value;
        var result = await record.HandleAsync(TenantFilter.CurrentTenant(http).Id, new DataSharingSaleInput(b.Day, b.ReleaseId, b.AmountCents, b.Currency, b.Reference), cancellationToken);
        if (!result.IsSuccess)
        {
            return Problems.From(result.Error!);
        }

        var r = result.Value;
        var response = new SaleResponse(r.Sale.Reference, Text(r.Sale.Day), r.Sale.AmountCents, r.Sale.Currency, r.Contributors, r.Credited, r.CreditedCents, r.AlreadyCredited, r.Repeated);
        return r.Repeated ? TypedResults.Ok(response) : TypedResults.Created((string?)null, response);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(string day, string file, HttpContext http, IDataSharingReleaseStore releases, IReleaseBlobStore blobs, CancellationToken cancellationToken)
    {
        var tenant = TenantFilter.CurrentTenant(http).Id;
        var notFound = Problems.From(Error.NotFound("release_not_found", "No such release file."));
        if (!TryParseDay(day, out var parsed) || file is not (ReleaseExport.RowsFileName or ReleaseExport.ManifestFileName))
        {
            return notFound;
        }

        var release = await releases.FindAsync(tenant, parsed, cancellationToken);
        if (release is not { ExportedAt: not null } || await blobs.ReadAsync(tenant, $"{release.Blob}/{file}", cancellationToken) is not { } bytes)
        {
            return notFound;
        }

        return TypedResults.File(bytes, file == ReleaseExport.RowsFileName ? "application/x-ndjson" : "application/json", $"{tenant.Value}-{day}-{file}");
    }

    private static bool TryParseDay(string? raw, out DateOnly day) =>
        DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
