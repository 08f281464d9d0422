using System.Globalization;
using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Common;
using Shared.Domain.Identify;
using Shared.Domain.Quotas;
using Shared.Domain.Users;
using Shared.Infrastructure.Diagnostics;
using Shared.Infrastructure.Json;

namespace Functions.Api.Identify;

/// <summary>The Chrome extension's per-use call and its quota lookup.</summary>
public static class IdentifyEndpoints
{
    public static void MapIdentify(this RouteGroupBuilder v1)
    {
        v1.MapPost("/users/identify", IdentifyAsync)
            .WithName("Identify")
            .WithSummary("Find or create the user behind an installation and consume one use if one is left.")
            .Accepts<IdentifyRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous();

        v1.MapGet("/users/{user_id}/quota", GetQuotaAsync)
            .WithName("GetQuota")
            .WithSummary("The user's usage in the current period (needs that user's access token).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.RouteUser);
    }

    private static async Task<Results<Ok<IdentifyResponse>, ProblemHttpResult>> IdentifyAsync(HttpContext http, IdentifyHandler handler, BackendMetrics metrics, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<IdentifyRequest>(http.Request, cancellationToken);
        if (Problems.Failed(body, out var unreadable))
        {
            return unreadable;
        }

        var command = Validate(body.Value, TenantFilter.CurrentTenant(http), ClientAddress.KeyOf(http));
        if (!command.IsSuccess)
        {
            return Problems.From(command.Error!);
        }

        var result = await handler.HandleAsync(command.Value, cancellationToken);
        return Problems.Map(result, r =>
        {
            var status = r.Outcome.Status;
            metrics.Identify(command.Value.Tenant.Id.Value, ConsumeKindText.Format(r.Outcome.Kind));
            return TypedResults.Ok(new IdentifyResponse(
                Success: true,
                UserId: r.UserId.Value,
                CanUse: r.CanUse,
                HitsRemaining: status.Remaining,
                HitsLimit: status.Limit,
                SubscriptionStatus: status.PlanId.Value,
                NextReset: status.Allowance.IsUnlimited ? null : Timestamp(status.Period.End),
                Warning: status.IsLow ? "quota_low" : null,
                UpgradeUrl: r.UpgradeUrl,
                AccessToken: r.Token.Value,
                ExpiresIn: r.Token.ExpiresInSeconds,
                TokenType: "Bearer"));
        });
    }

    private static async Task<Results<Ok<QuotaResponse>, ProblemHttpResult>> GetQuotaAsync(string user_id, HttpContext http, QuotaQueryHandler handler, CancellationToken cancellationToken)
    {
        // The policy checked that the route's user is the caller (or an admin): anyone else's is 404, not 403.
        var tenant = TenantFilter.CurrentTenant(http);
        if (!UserId.TryParse(user_id, out var userId))
        {
            return Problems.From(Error.Validation("user_id", "Must be a user id as returned by identify."));
        }

        var result = await handler.HandleAsync(tenant.Id, userId.Value, cancellationToken);
        return Problems.Map(result, status => TypedResults.Ok(new QuotaResponse(
            status.Used,
            status.Remaining,
            status.Limit,
            ResetPeriodText.Format(status.Allowance.Period),
            status.PlanId.Value,
            status.Allowance.IsUnlimited ? null : Timestamp(status.Period.End))));
    }

    private static Result<IdentifyCommand> Validate(IdentifyRequest request, Shared.Domain.Tenants.Tenant tenant, string? clientAddress)
    {
        var errors = new FieldErrors();
        ExtensionId? extensionId = null;
        if (string.IsNullOrWhiteSpace(request.ExtensionId))
        {
            errors.Add("extension_id", "Is required.");
        }
        else if (!ExtensionId.TryParse(request.ExtensionId, out extensionId))
        {
            errors.Add("extension_id", $"Must be 1 to {ExtensionId.MaxLength} visible ASCII characters.");
        }

        EmailAddress? email = null;
        if (request.Email is not null)
        {
            if (EmailAddress.TryParse(request.Email, out var parsed))
            {
                email = parsed;
            }
            else
            {
                errors.Add("email", $"Must be an email address of at most {EmailAddress.MaxLength} characters.");
            }
        }

        var actionType = request.ActionType ?? "unspecified";
        if (actionType.Length is 0 or > IdentifyHandler.MaxActionTypeLength || !actionType.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            errors.Add("action_type", $"Must be 1 to {IdentifyHandler.MaxActionTypeLength} letters, digits, '_', '-' or '.'.");
        }

        string? idToken = null;
        if (request.IdToken is not null)
        {
            if (request.IdToken.Length is 0 or > Shared.Infrastructure.Identity.OidcIdTokenVerifier.MaxIdTokenLength)
            {
                errors.Add("id_token", $"Must be an ID token of 1 to {Shared.Infrastructure.Identity.OidcIdTokenVerifier.MaxIdTokenLength} characters.");
            }
            else
            {
                idToken = request.IdToken;
            }
        }

        ClientRequestId? key = null;
        if (request.RequestId is not null)
        {
            if (ClientRequestId.TryParse(request.RequestId, out var parsedKey))
            {
                key = parsedKey;
            }
            else
            {
                errors.Add("request_id", $"Must be 1 to {ClientRequestId.MaxLength} characters without control characters.");
            }
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        return new IdentifyCommand(tenant, extensionId!.Value, email, actionType, key, clientAddress, idToken);
    }

    private static string Timestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
