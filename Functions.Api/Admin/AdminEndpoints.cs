using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shared.Domain.Admin;
using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Features;

namespace Functions.Api.Admin;

/// <summary>
/// The admin console's endpoints (policy <see cref="Policies.Admin"/>: the token claims admin and the store still says
/// so). Every id is looked up in the request's tenant only, so another tenant's user is 404 like an unknown one.
/// </summary>
public static class AdminEndpoints
{
    public const int AuditPageSize = 50;
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void MapAdmin(this RouteGroupBuilder v1)
    {
        v1.MapPost("/admin/users/{user_id}/roles", GrantAsync)
            .WithName("AdminGrantRole")
            .WithSummary("Grants a role (creator, shopkeeper, admin) to a user of this tenant; a repeat changes nothing. Audited.")
            .Accepts<RoleGrantBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.Admin);

        v1.MapDelete("/admin/users/{user_id}/roles/{role}", RevokeAsync)
            .WithName("AdminRevokeRole")
            .WithSummary("Revokes a role from a user of this tenant; a repeat changes nothing. Revoking admin takes effect at once for admin endpoints. Audited.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Admin);

        v1.MapGet("/admin/users", SearchAsync)
            .WithName("AdminListUsers")
            .WithSummary("Users of this tenant whose email starts with ?query= (all without one), by user id, 50 a page; pass ?continuation= for the next.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.Admin);

        v1.MapGet("/admin/users/{user_id}", GetUserAsync)
            .WithName("AdminGetUser")
            .WithSummary("One user of this tenant: profile, roles, plan, subscriptions, installations count.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.Admin);

        v1.MapPost("/admin/refunds", RefundAsync)
            .WithName("AdminRefund")
            .WithSummary("Refunds a payment (all that is left, or amount_cents) through the payment provider. Needs an Idempotency-Key header: a repeat answers the same refund, the same key with another body is 409. Audited.")
            .Accepts<RefundBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireAuthorization(Policies.Admin);

        v1.MapGet("/admin/audit", AuditAsync)
            .WithName("AdminAuditLog")
            .WithSummary("This tenant's audit log (admin actions and security events), newest first, 50 a page; pass ?continuation= for the next.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.Admin);
    }

    /// <summary>The admin behind the request, with the address and correlation id the audit log records.</summary>
    public static AdminCaller CallerOf(HttpContext http) => new(
        TenantFilter.CurrentTenant(http).Id,
        Caller.Required(http),
        http.Connection.RemoteIpAddress?.ToString(),
        http.Response.Headers[CorrelationId.Header].ToString() is { Length: > 0 } id ? id : http.TraceIdentifier);

    private static async Task<Results<Ok<RoleChangeResponse>, ProblemHttpResult>> GrantAsync(string user_id, HttpContext http, [FromServices] RoleAdministration roles, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RoleGrantBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        return Problems.Map(await roles.GrantAsync(CallerOf(http), user_id, body.Value.Role, cancellationToken), c => TypedResults.Ok(RoleChangeResponse.From(c)));
    }

    private static async Task<Results<Ok<RoleChangeResponse>, ProblemHttpResult>> RevokeAsync(string user_id, string role, HttpContext http, [FromServices] RoleAdministration roles, CancellationToken cancellationToken) =>
        Problems.Map(await roles.RevokeAsync(CallerOf(http), user_id, role, cancellationToken), c => TypedResults.Ok(RoleChangeResponse.From(c)));

    private static async Task<Results<Ok<RefundResponse>, ProblemHttpResult>> RefundAsync(HttpContext http, [FromServices] AdminRefunds refunds, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RefundBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var key = http.Request.Headers.TryGetValue(IdempotencyHeader, out var values) ? values.ToString() : null;
        var result = await refunds.RefundAsync(CallerOf(http), new RefundCommand(body.Value.PaymentId, body.Value.AmountCents, body.Value.Reason, key), cancellationToken);
        return Problems.Map(result, r => TypedResults.Ok(RefundResponse.From(r)));
    }

    private static async Task<Results<Ok<AdminUserListResponse>, ProblemHttpResult>> SearchAsync(HttpContext http, [FromServices] AdminUsers users, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var page = await users.SearchAsync(TenantFilter.CurrentTenant(http).Id, query["query"].ToString(), query.ContainsKey("continuation") ? query["continuation"].ToString() : null, cancellationToken);
        return Problems.Map(page, p => TypedResults.Ok(new AdminUserListResponse([.. p.Items.Select(AdminUserListItem.From)], p.Continuation)));
    }

    private static async Task<Results<Ok<AdminUserResponse>, ProblemHttpResult>> GetUserAsync(string user_id, HttpContext http, [FromServices] AdminUsers users, CancellationToken cancellationToken) =>
        Problems.Map(await users.GetAsync(TenantFilter.CurrentTenant(http).Id, user_id, cancellationToken), v => TypedResults.Ok(AdminUserResponse.From(v)));

    private static async Task<Results<Ok<AuditListResponse>, ProblemHttpResult>> AuditAsync(HttpContext http, [FromServices] IAuditLog audit, CancellationToken cancellationToken)
    {
        var continuation = http.Request.Query.ContainsKey("continuation") ? http.Request.Query["continuation"].ToString() : null;
        AuditPage page;
        try
        {
            page = await audit.ListAsync(TenantFilter.CurrentTenant(http).Id, continuation, AuditPageSize, cancellationToken);
        }
        catch (InvalidContinuationException)
        {
            return Problems.From(new Error(ErrorKind.Validation, "invalid_continuation", "The continuation token is not one this endpoint issued."));
        }

        return TypedResults.Ok(new AuditListResponse([.. page.Items.Select(AuditItem.From)], page.Continuation));
    }
}
