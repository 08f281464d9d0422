using System.Globalization;
using System.Security.Claims;
using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Accounts;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.DataSharing;
using Shared.Domain.Privacy;
using Shared.Domain.Quotas;
using Shared.Domain.Users;

namespace Functions.Api.Me;

/// <summary>
/// The caller's own account: profile (GET/PUT /users/me), GDPR export (GET /users/me/export) and erasure
/// (DELETE /users/me). The user is always the token's subject: there is no user id in these routes, so nobody can
/// read or erase anyone else through them.
/// </summary>
public static class MeEndpoints
{
    /// <summary>The most linked installations GET /users/me lists (oldest link first); a user with more sees the first ones.</summary>
    public const int MaxInstallationsShown = 100;

    public static void MapMe(this RouteGroupBuilder v1)
    {
        v1.MapGet("/users/me", GetAsync)
            .WithName("GetMe")
            .WithSummary("The caller's profile (id, display name, email and whether it is verified, creation time), roles, plan, quota, subscriptions, data-sharing choice and linked installations (opaque ids, oldest first, at most 100).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPut("/users/me", UpdateAsync)
            .WithName("UpdateMe")
            .WithSummary("Changes the caller's safe fields: display_name (1–64 characters, no control characters; null clears it). The email cannot be changed here (400 email_change_requires_verification: use POST /auth/change-email).")
            .Accepts<UpdateMeBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/users/me/export", ExportAsync)
            .WithName("ExportMe")
            .WithSummary("Everything stored about the caller, one section per feature, as JSON (GDPR articles 15 and 20). Audited.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapDelete("/users/me", EraseAsync)
            .WithName("EraseMe")
            .WithSummary("Erases the caller's personal data in every feature (GDPR article 17); payments and the audit log are kept de-identified; the payment provider's customer is deleted. Needs an access token issued within the last 5 minutes (401 reauthentication_required) and, for an account with a password, {password}. 204; the caller's tokens stop working.")
            .Accepts<EraseMeBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireAuthorization(Policies.TenantUser);
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetAsync(HttpContext http, IUserDirectory users, IQuotaStore quotas, IBillingStore billing, IDataSharingStore sharing, UserRoles userRoles, ILinkedInstallations installations, CancellationToken cancellationToken)
    {
        var tenant = TenantFilter.CurrentTenant(http).Id;
        var caller = Caller.Required(http);
        var account = await users.GetAsync(tenant, caller, cancellationToken);
        if (account is null)
        {
            // A token of a user whose record is gone (never created, or being erased).
            return Problems.From(Error.NotFound("user_not_found", "No account exists for this token's user."));
        }

        var quota = await quotas.GetAsync(tenant, caller, cancellationToken);
        var subscriptions = await billing.ListSubscriptionsAsync(tenant, caller, cancellationToken);
        var preference = await sharing.GetAsync(tenant, caller, cancellationToken);
        var linked = await installations.ListAsync(tenant, caller, MaxInstallationsShown, cancellationToken);
        // The stored roles (grants and the tenant's admin emails), not the token's: a grant shows here at once.
        var roles = (await userRoles.EffectiveAsync(TenantFilter.CurrentTenant(http), caller, cancellationToken)).Select(r => r.ToClaim()).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new MeResponse(
            caller.Value,
            account.DisplayName,
            account.Email?.Value,
            account.VerifiedEmail is not null,
            Iso(account.CreatedAt),
            roles,
            quota?.PlanId.Value,
            quota is null ? null : new MeQuota(quota.Used, quota.Limit, Iso(quota.Period.Start), Iso(quota.Period.End)),
            [.. subscriptions.Select(s => new MeSubscription(s.StripeSubscriptionId, s.PlanId.Value, BillingText.Format(s.Cycle), BillingText.Format(s.Status), Iso(s.CurrentPeriodEnd), s.CancelAtPeriodEnd))],
            preference is null ? null : new MeDataSharing(preference.OptIn, preference.ProfitSplit),
            [.. linked.Select(i => new MeInstallation(i.InstallationId, Iso(i.LinkedAt)))]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UpdateAsync(HttpContext http, IUserDirectory users, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<UpdateMeBody>(http.Request, cancellationToken);
        if (Problems.Failed(body, out var unreadable))
        {
            return unreadable;
        }

        if (body.Value.Email is { ValueKind: not System.Text.Json.JsonValueKind.Null })
        {
            return Problems.From(new Error(ErrorKind.Validation, "email_change_requires_verification", "The email cannot be changed here: use POST /api/v1/auth/change-email, which verifies the new address first."));
        }

        string? name = null;
        if (body.Value.DisplayName is { } raw)
        {
            if (!DisplayNameRule.TryNormalize(raw, out var normalized, out var problem))
            {
                return Problems.From(Error.Validation("display_name", problem));
            }

            name = normalized;
        }

        var tenant = TenantFilter.CurrentTenant(http).Id;
        if (!await users.SetDisplayNameAsync(tenant, Caller.Required(http), name, cancellationToken))
        {
            return Problems.From(Error.NotFound("user_not_found", "No account exists for this token's user."));
        }

        return TypedResults.NoContent();
    }

    private static async Task<Ok<ExportResponse>> ExportAsync(HttpContext http, ExportPersonalData export, CancellationToken cancellationToken)
    {
        var tenant = TenantFilter.CurrentTenant(http).Id;
        var result = await export.HandleAsync(RequestOf(http, tenant), cancellationToken);
        http.Response.Headers.ContentDisposition = "attachment; filename=\"personal-data.json\"";
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ExportResponse(
            result.UserId.Value,
            result.TenantId.Value,
            Iso(result.ExportedAt),
            [.. result.Sections.Select(s => new ExportSection(s.Name, [.. s.Records.Select(r => new ExportRecord(r.Kind, r.Fields))]))]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> EraseAsync(HttpContext http, EraseUser erase, CancellationToken cancellationToken)
    {
        // The body is optional (accounts without a password send none).
        string? password = null;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var body = await JsonBody.ReadAsync<EraseMeBody>(http.Request, cancellationToken);
            if (Problems.Failed(body, out var unreadable))
            {
                return unreadable;
            }

            password = body.Value.Password;
        }

        var tenant = TenantFilter.CurrentTenant(http).Id;
        var request = RequestOf(http, tenant);
        var proof = new ReauthenticationProof(tenant, request.UserId, IssuedAt(http.User), password);
        var result = await erase.HandleAsync(request, proof, cancellationToken);
        return Problems.Map(result, _ => TypedResults.NoContent());
    }

    private static PrivacyRequest RequestOf(HttpContext http, TenantId tenant) =>
        new(tenant, Caller.Required(http), http.Connection.RemoteIpAddress?.ToString(), http.Response.Headers[CorrelationId.Header].ToString() is { Length: > 0 } id ? id : null);

    private static DateTimeOffset? IssuedAt(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue("iat"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= 253402300799
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
