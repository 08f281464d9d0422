using System.Globalization;
using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.Features;

namespace Functions.Api.Features;

/// <summary>
/// AskDunzo's feature requests (queued AI generation, 202 + Location to poll) and the data sharing opt-in. Each
/// endpoint parses its transport (body, headers, query) into domain values, calls one use case and maps the result
/// with <see cref="Problems.Map"/>.
/// </summary>
public static class FeatureEndpoints
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>The log category of these endpoints.</summary>
    public const string LogCategory = "Features";

    public static void MapFeatures(this RouteGroupBuilder v1)
    {
        v1.MapPost("/features/requests", SubmitAsync)
            .WithName("SubmitFeatureRequest")
            .WithSummary("Queues an AI feature generation: reserves one use, answers 202 with a Location to poll. An Idempotency-Key header makes retries safe.")
            .Accepts<FeatureRequestBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/features/requests/{request_id}", GetAsync)
            .WithName("GetFeatureRequest")
            .WithSummary("One of the caller's feature requests: pending, processing, completed (with the generated code) or failed (with a reason).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/features/requests", ListAsync)
            .WithName("ListFeatureRequests")
            .WithSummary("The caller's feature requests, newest first; pass the returned continuation to get the next page.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost("/data-sharing/opt-in", SetDataSharingAsync)
            .WithName("DataSharingOptIn")
            .WithSummary("Opts the caller into (or out of) the Data Sharing Program, with a profit split of 50 or 100.")
            .Accepts<DataSharingBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.TenantUser);
    }

    private static async Task<Results<Accepted<FeatureRequestResponse>, ProblemHttpResult>> SubmitAsync(HttpContext http, SubmitFeatureRequest submit, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<FeatureRequestBody>(http.Request, cancellationToken);
        if (Problems.Failed(body, out var unreadable))
        {
            return unreadable;
        }

        if (!FeatureRequestText.TryCreate(body.Value.RequestText, out var text, out var textProblem))
        {
            return Problems.From(Error.Validation("request_text", textProblem));
        }

        IdempotencyKey? key = null;
        if (http.Request.Headers.TryGetValue(IdempotencyHeader, out var values))
        {
            if (!IdempotencyKey.TryCreate(values.ToString(), out var parsed, out var keyProblem))
            {
                return Problems.From(Error.Validation(IdempotencyHeader, keyProblem));
            }

            key = parsed;
        }

        var tenant = TenantFilter.CurrentTenant(http);
        var result = await submit.HandleAsync(tenant, Caller.Required(http), text, key, cancellationToken);
        return Problems.Map(result, submitted =>
        {
            var (request, repeated, sendFailure) = submitted;
            var logger = loggers.CreateLogger(LogCategory);
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
        });
    }

    private static async Task<Results<Ok<FeatureRequestResponse>, ProblemHttpResult>> GetAsync(string request_id, HttpContext http, GetFeatureRequest get, CancellationToken cancellationToken)
    {
        var result = await get.HandleAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), request_id, cancellationToken);
        return Problems.Map(result, request =>
        {
            if (!request.IsFinished)
            {
                http.Response.Headers.RetryAfter = "2";
            }

            return TypedResults.Ok(FeatureRequestResponse.From(request));
        });
    }

    private static async Task<Results<Ok<FeatureRequestListResponse>, ProblemHttpResult>> ListAsync(HttpContext http, ListFeatureRequests list, CancellationToken cancellationToken)
    {
        int? limit = null;
        if (http.Request.Query.TryGetValue("limit", out var rawLimit))
        {
            if (!int.TryParse(rawLimit.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Problems.From(Error.Validation("limit", "Must be a whole number."));
            }

            limit = parsed;
        }

        var page = await list.HandleAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), limit, http.Request.Query["continuation"].ToString(), cancellationToken);
        return Problems.Map(page, p => TypedResults.Ok(new FeatureRequestListResponse([.. p.Items.Select(FeatureRequestResponse.From)], p.Continuation)));
    }

    private static async Task<Results<Ok<DataSharingResponse>, ProblemHttpResult>> SetDataSharingAsync(HttpContext http, DataSharingHandler handler, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<DataSharingBody>(http.Request, cancellationToken);
        if (Problems.Failed(body, out var unreadable))
        {
            return unreadable;
        }

        var result = await handler.SetAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), body.Value.OptIn, body.Value.ProfitSplit, cancellationToken);
        return Problems.Map(result, s => TypedResults.Ok(new DataSharingResponse(s.OptIn, s.ProfitSplit)));
    }
}
