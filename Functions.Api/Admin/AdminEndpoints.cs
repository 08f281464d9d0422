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

        v1.MapGet("/admin/metrics", MetricsAsync)
            .WithName("AdminMetrics")
            .WithSummary("This tenant's figures over the UTC days ?from=..&to= (yyyy-MM-dd, both included, at most 366 days; the last 30 days by default): MRR per currency, active subscriptions per plan, new users, conversions, churn, uses and AI requests per day. Computed from stored facts; definitions in the README.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.Admin);

        v1.MapPost("/roles/applications", ApplyAsync)
            .WithName("ApplyForRole")
            .WithSummary("The caller applies for a role admins approve (creator or shopkeeper), with an optional note. One pending application per role; 409 if the caller has the role already. Audited.")
            .Accepts<RoleApplicationBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/admin/role-applications", ListApplicationsAsync)
            .WithName("AdminListRoleApplications")
            .WithSummary("This tenant's role applications with ?status= (pending by default; approved, rejected), by id, 50 a page; pass ?continuation= for the next.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.Admin);

        v1.MapPost("/admin/role-applications/{application_id}/approve", ApproveAsync)
            .WithName("AdminApproveRoleApplication")
            .WithSummary("Approves a pending application: the applicant is granted the role (as POST /admin/users/{id}/roles would). Audited.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Admin);

        v1.MapPost("/admin/role-applications/{application_id}/reject", RejectAsync)
            .WithName("AdminRejectRoleApplication")
            .WithSummary("Rejects a pending application, with an optional {reason}. Audited.")
            .Accepts<RoleRejectionBody>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
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

    private static Task<Results<Ok<RoleChangeResponse>, ProblemHttpResult>> GrantAsync(string user_id, HttpContext http, [FromServices] RoleAdministration roles, CancellationToken cancellationToken) =>
        WithBodyAsync<RoleGrantBody, Ok<RoleChangeResponse>>(http, async body =>
            Problems.Map(await roles.GrantAsync(CallerOf(http), user_id, body.Role, cancellationToken), c => TypedResults.Ok(RoleChangeResponse.From(c))), cancellationToken);

    private static async Task<Results<Ok<RoleChangeResponse>, ProblemHttpResult>> RevokeAsync(string user_id, string role, HttpContext http, [FromServices] RoleAdministration roles, CancellationToken cancellationToken) =>
        Problems.Map(await roles.RevokeAsync(CallerOf(http), user_id, role, cancellationToken), c => TypedResults.Ok(RoleChangeResponse.From(c)));

    private static Task<Results<Ok<RefundResponse>, ProblemHttpResult>> RefundAsync(HttpContext http, [FromServices] AdminRefunds refunds, CancellationToken cancellationToken) =>
        WithBodyAsync<RefundBody, Ok<RefundResponse>>(http, async body =>
        {
            var key = http.Request.Headers.TryGetValue(IdempotencyHeader, out var values) ? values.ToString() : null;
            var result = await refunds.RefundAsync(CallerOf(http), new RefundCommand(body.PaymentId, body.AmountCents, body.Reason, key), cancellationToken);
            return Problems.Map(result, r => TypedResults.Ok(RefundResponse.From(r)));
        }, cancellationToken);

    private static Task<Results<Ok<AdminUserListResponse>, ProblemHttpResult>> SearchAsync(HttpContext http, [FromServices] AdminUsers users, CancellationToken cancellationToken) =>
        PageAsync(
            http,
            continuation => users.SearchAsync(TenantFilter.CurrentTenant(http).Id, http.Request.Query["query"].ToString(), continuation, cancellationToken),
            p => new AdminUserListResponse([.. p.Items.Select(AdminUserListItem.From)], p.Continuation));

    private static async Task<Results<Ok<AdminUserResponse>, ProblemHttpResult>> GetUserAsync(string user_id, HttpContext http, [FromServices] AdminUsers users, CancellationToken cancellationToken) =>
        Problems.Map(await users.GetAsync(TenantFilter.CurrentTenant(http).Id, user_id, cancellationToken), v => TypedResults.Ok(AdminUserResponse.From(v)));

    private static Task<Results<Created<RoleApplicationResponse>, ProblemHttpResult>> ApplyAsync(HttpContext http, [FromServices] RoleApplications applications, CancellationToken cancellationToken) =>
        WithBodyAsync<RoleApplicationBody, Created<RoleApplicationResponse>>(http, async body =>
            Problems.Map(await applications.ApplyAsync(CallerOf(http), body.Role, body.Note, cancellationToken), a => TypedResults.Created((string?)null, RoleApplicationResponse.From(a))), cancellationToken);

    private static Task<Results<Ok<RoleApplicationListResponse>, ProblemHttpResult>> ListApplicationsAsync(HttpContext http, [FromServices] RoleApplications applications, CancellationToken cancellationToken) =>
        PageAsync(
            http,
            continuation => applications.ListAsync(TenantFilter.CurrentTenant(http).Id, http.Request.Query["status"].ToString(), continuation, cancellationToken),
            p => new RoleApplicationListResponse([.. p.Items.Select(RoleApplicationResponse.From)], p.Continuation));

    private static async Task<Results<Ok<RoleApplicationResponse>, ProblemHttpResult>> ApproveAsync(string application_id, HttpContext http, [FromServices] RoleApplications applications, CancellationToken cancellationToken) =>
        Problems.Map(await applications.ApproveAsync(CallerOf(http), application_id, cancellationToken), a => TypedResults.Ok(RoleApplicationResponse.From(a)));

    private static async Task<Results<Ok<RoleApplicationResponse>, ProblemHttpResult>> RejectAsync(string application_id, HttpContext http, [FromServices] RoleApplications applications, CancellationToken cancellationToken)
    {
        // The body is optional (a reason): none at all is a rejection without one.
        if (http.Request.ContentLength is 0 || (http.Request.ContentLength is null && string.IsNullOrEmpty(http.Request.ContentType)))
        {
            return await RejectWithAsync(null);
        }

        return await WithBodyAsync<RoleRejectionBody, Ok<RoleApplicationResponse>>(http, body => RejectWithAsync(body.Reason), cancellationToken);

        async Task<Results<Ok<RoleApplicationResponse>, ProblemHttpResult>> RejectWithAsync(string? reason) =>
            Problems.Map(await applications.RejectAsync(CallerOf(http), application_id, reason, cancellationToken), a => TypedResults.Ok(RoleApplicationResponse.From(a)));
    }

    private static async Task<Results<Ok<MetricsResponse>, ProblemHttpResult>> MetricsAsync(HttpContext http, [FromServices] AdminMetrics metrics, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        if (query["from"].Count > 1 || query["to"].Count > 1)
        {
            return Problems.From(Error.Validation("from", "Give from and to once each."));
        }

        var report = await metrics.GetAsync(TenantFilter.CurrentTenant(http).Id, query["from"].ToString(), query["to"].ToString(), cancellationToken);
        return Problems.Map(report, r => TypedResults.Ok(MetricsResponse.Of(r)));
    }

    private static Task<Results<Ok<AuditListResponse>, ProblemHttpResult>> AuditAsync(HttpContext http, [FromServices] IAuditLog audit, CancellationToken cancellationToken) =>
        PageAsync(
            http,
            async continuation =>
            {
                try
                {
                    return Result<AuditPage>.Success(await audit.ListAsync(TenantFilter.CurrentTenant(http).Id, continuation, AuditPageSize, cancellationToken));
                }
                catch (InvalidContinuationException)
                {
                    return ContinuationText.Invalid;
                }
            },
            page => new AuditListResponse([.. page.Items.Select(AuditItem.From)], page.Continuation));

    /// <summary>Reads the JSON body (400/413/415 problems as every endpoint answers them) and hands it on.</summary>
    private static async Task<Results<TOk, ProblemHttpResult>> WithBodyAsync<TBody, TOk>(HttpContext http, Func<TBody, Task<Results<TOk, ProblemHttpResult>>> handle, CancellationToken cancellationToken)
        where TBody : class
        where TOk : IResult
    {
        var body = await JsonBody.ReadAsync<TBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        return await handle(body.Value);
    }

    /// <summary>A page of a list: ?continuation= read as on every list (<see cref="ContinuationQuery.Text"/>), then the use case's page or its problem.</summary>
    private static async Task<Results<Ok<TResponse>, ProblemHttpResult>> PageAsync<TPage, TResponse>(HttpContext http, Func<string?, Task<Result<TPage>>> list, Func<TPage, TResponse> respond)
    {
        var continuation = ContinuationQuery.Text(http.Request);
        if (!continuation.IsSuccess)
        {
            return Problems.From(continuation.Error!);
        }

        return Problems.Map(await list(continuation.Value), p => TypedResults.Ok(respond(p)));
    }
}
