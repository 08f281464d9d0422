using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.DataSharing;
using Shared.Domain.Features;
using Shared.Infrastructure.Json;

namespace Functions.Api.Features;

public sealed class FeatureRequestBody
{
    public string? RequestText { get; set; }
}

public sealed record FeatureRequestResponse(
    string Id,
    string Status,
    string RequestText,
    string? GeneratedCode,
    string? GeneratedBy,
    string? FailureReason,
    string Priority,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? CompletedAt)
{
    public static FeatureRequestResponse From(FeatureRequest r) => new(
        r.Id,
        FeatureText.Format(r.Status),
        r.RequestText,
        r.GeneratedCode,
        r.GeneratedBy,
        r.FailureReason,
        r.Queue == Shared.Domain.Jobs.QueueNames.AiGenerationPriority ? "priority" : "standard",
        r.CreatedAt,
        r.UpdatedAt,
        r.CompletedAt);
}

public sealed record FeatureRequestListResponse(IReadOnlyList<FeatureRequestResponse> Items, string? Continuation);

public sealed class DataSharingBody
{
    public bool? OptIn { get; set; }

    public int? ProfitSplit { get; set; }
}

public sealed record DataSharingResponse(bool OptIn, int ProfitSplit);

/// <summary>AskDunzo's feature requests (queued AI generation, 202 + Location to poll) and the data sharing opt-in.</summary>
public static class FeatureEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void MapFeatures(this RouteGroupBuilder v1, ILogger logger)
    {
        v1.MapPost("/features/requests", async Task<Results<Accepted<FeatureRequestResponse>, ProblemHttpResult>> (HttpContext http, FeatureRequestHandler handler, CancellationToken cancellationToken) =>
            {
                var body = await JsonBody.ReadAsync<FeatureRequestBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
                if (!body.IsSuccess)
                {
                    return Problems.From(body.Error!);
                }

                var tenant = TenantFilter.CurrentTenant(http);
                var key = http.Request.Headers.TryGetValue(IdempotencyHeader, out var values) ? values.ToString() : null;
                var result = await handler.SubmitAsync(tenant, Caller.UserIdOf(http.User)!.Value, body.Value.RequestText, key, cancellationToken);
                if (!result.IsSuccess)
                {
                    return Problems.From(result.Error!);
                }

                var (request, repeated, sendFailure) = result.Value;
                if (sendFailure is not null)
                {
                    // Stored and reserved: the resend sweep delivers it; the client polls the Location as usual.
                    logger.LogError(sendFailure, "Feature request {RequestId} of tenant {TenantId} is stored but its job could not be sent; the sweep will resend it", request.Id, tenant.Id);
                }
                else if (!repeated)
                {
                    logger.LogInformation("Feature request {RequestId} queued on {Queue}", request.Id, request.Queue);
                }

                return TypedResults.Accepted($"/api/v1/features/requests/{request.Id}", FeatureRequestResponse.From(request));
            })
            .WithName("SubmitFeatureRequest")
            .WithSummary("Queues an AI feature generation: reserves one use, answers 202 with a Location to poll. An Idempotency-Key header makes retries safe.")
            .Accepts<FeatureRequestBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/features/requests/{request_id}", async Task<Results<Ok<FeatureRequestResponse>, ProblemHttpResult>> (string request_id, HttpContext http, FeatureRequestHandler handler, CancellationToken cancellationToken) =>
            {
                var result = await handler.GetAsync(TenantFilter.CurrentTenant(http).Id, Caller.UserIdOf(http.User)!.Value, request_id, cancellationToken);
                if (!result.IsSuccess)
                {
                    return Problems.From(result.Error!);
                }

                if (!result.Value.IsFinished)
                {
                    http.Response.Headers.RetryAfter = "2";
                }

                return TypedResults.Ok(FeatureRequestResponse.From(result.Value));
            })
            .WithName("GetFeatureRequest")
            .WithSummary("One of the caller's feature requests: pending, processing, completed (with the generated code) or failed (with a reason).")
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/features/requests", async Task<Results<Ok<FeatureRequestListResponse>, ProblemHttpResult>> (HttpContext http, FeatureRequestHandler handler, CancellationToken cancellationToken) =>
            {
                int? limit = null;
                if (http.Request.Query.TryGetValue("limit", out var rawLimit))
                {
                    if (!int.TryParse(rawLimit.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
                    {
                        return Problems.From(Shared.Domain.Common.Error.Validation("limit", "Must be a whole number."));
                    }

                    limit = parsed;
                }

                var page = await handler.ListAsync(TenantFilter.CurrentTenant(http).Id, Caller.UserIdOf(http.User)!.Value, limit, http.Request.Query["continuation"].ToString(), cancellationToken);
                return page.IsSuccess
                    ? TypedResults.Ok(new FeatureRequestListResponse([.. page.Value.Items.Select(FeatureRequestResponse.From)], page.Value.Continuation))
                    : Problems.From(page.Error!);
            })
            .WithName("ListFeatureRequests")
            .WithSummary("The caller's feature requests, newest first; pass the returned continuation to get the next page.")
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost("/data-sharing/opt-in", async Task<Results<Ok<DataSharingResponse>, ProblemHttpResult>> (HttpContext http, DataSharingHandler handler, CancellationToken cancellationToken) =>
            {
                var body = await JsonBody.ReadAsync<DataSharingBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
                if (!body.IsSuccess)
                {
                    return Problems.From(body.Error!);
                }

                var result = await handler.SetAsync(TenantFilter.CurrentTenant(http).Id, Caller.UserIdOf(http.User)!.Value, body.Value.OptIn, body.Value.ProfitSplit, cancellationToken);
                return result.IsSuccess ? TypedResults.Ok(new DataSharingResponse(result.Value.OptIn, result.Value.ProfitSplit)) : Problems.From(result.Error!);
            })
            .WithName("DataSharingOptIn")
            .WithSummary("Opts the caller into (or out of) the Data Sharing Program, with a profit split of 50 or 100.")
            .Accepts<DataSharingBody>("application/json")
            .RequireAuthorization(Policies.TenantUser);
    }
}
