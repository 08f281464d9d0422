using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Functions.Api.Billing;

public sealed class CheckoutRequestBody
{
    /// <summary>Optional; when present it must be the caller (the Bearer token's or the link token's user).</summary>
    public string? UserId { get; set; }

    public string? PlanId { get; set; }

    public string? BillingCycle { get; set; }

    public string? SuccessUrl { get; set; }

    public string? CancelUrl { get; set; }
}

public sealed class PortalRequestBody
{
    public string? ReturnUrl { get; set; }
}

public sealed record CheckoutResponse(string CheckoutUrl, string SessionId);

public sealed record CancelResponse(string Status, bool CancelAtPeriodEnd, DateTimeOffset CurrentPeriodEnd);

public sealed record PortalResponse(string PortalUrl);

/// <summary>Checkout (JSON and a plain redirect for links), cancellation at period end, and the billing portal.</summary>
public static class CheckoutEndpoints
{
    private const int MaxUrlLength = 2048;

    public static void MapCheckout(this RouteGroupBuilder v1)
    {
        v1.MapPost("/subscriptions/checkout", async Task<Results<Ok<CheckoutResponse>, ProblemHttpResult>> (HttpContext http, CheckoutHandler handler, CancellationToken cancellationToken) =>
            {
                var body = await JsonBody.ReadAsync<CheckoutRequestBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
                if (!body.IsSuccess)
                {
                    return Problems.From(body.Error!);
                }

                var command = Validate(http, Caller.Required(http), body.Value.UserId, body.Value.PlanId, body.Value.BillingCycle, body.Value.SuccessUrl, body.Value.CancelUrl);
                if (!command.IsSuccess)
                {
                    return Problems.From(command.Error!);
                }

                var session = await handler.StartAsync(command.Value, cancellationToken);
                return session.IsSuccess ? TypedResults.Ok(new CheckoutResponse(session.Value.Url, session.Value.Id)) : Problems.From(session.Error!);
            })
            .WithName("StartCheckout")
            .WithSummary("Starts a Stripe Checkout session for the caller (Bearer token, or an upgrade-link ?token=) for a plan and billing cycle; answers its URL.")
            .Accepts<CheckoutRequestBody>("application/json")
            .RequireAuthorization(Policies.CheckoutCaller);

        v1.MapGet("/checkout/{plan_id}", async Task<Results<SeeOther, ProblemHttpResult>> (string plan_id, string? user_id, string? cycle, HttpContext http, CheckoutHandler handler, CancellationToken cancellationToken) =>
            {
                // The link token (checked by the policy) names the user; a user_id beside it must agree with it.
                var command = Validate(http, Caller.Required(http), user_id, plan_id, cycle ?? "monthly", null, null);
                if (!command.IsSuccess)
                {
                    return Problems.From(command.Error!);
                }

                var session = await handler.StartAsync(command.Value, cancellationToken);
                return session.IsSuccess ? new SeeOther(session.Value.Url) : Problems.From(session.Error!);
            })
            .WithName("CheckoutRedirect")
            .WithSummary("303 See Other to a Checkout session, for plain links (?token=<upgrade-link token>&cycle=monthly&tenant=…); a bare user_id is refused (400 link_token_required).")
            .RequireAuthorization(Policies.UpgradeLink);

        v1.MapPost("/subscriptions/cancel", async Task<Results<Ok<CancelResponse>, ProblemHttpResult>> (HttpContext http, CheckoutHandler handler, CancellationToken cancellationToken) =>
            {
                var cancelled = await handler.CancelAsync(TenantFilter.CurrentTenant(http), Caller.Required(http), cancellationToken);
                return cancelled.IsSuccess
                    ? TypedResults.Ok(new CancelResponse(BillingText.Format(cancelled.Value.Status), true, cancelled.Value.CurrentPeriodEnd))
                    : Problems.From(cancelled.Error!);
            })
            .WithName("CancelSubscription")
            .WithSummary("Cancels the caller's subscription at the end of the current period (Bearer token).")
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost("/subscriptions/portal", async Task<Results<Ok<PortalResponse>, ProblemHttpResult>> (HttpContext http, CheckoutHandler handler, CancellationToken cancellationToken) =>
            {
                string? returnUrl = null;
                if (http.Request.ContentLength is > 0)
                {
                    var body = await JsonBody.ReadAsync<PortalRequestBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
                    if (!body.IsSuccess)
                    {
                        return Problems.From(body.Error!);
                    }

                    returnUrl = body.Value.ReturnUrl;
                }

                var portal = await handler.PortalAsync(TenantFilter.CurrentTenant(http), Caller.Required(http), returnUrl, cancellationToken);
                return portal.IsSuccess ? TypedResults.Ok(new PortalResponse(portal.Value)) : Problems.From(portal.Error!);
            })
            .WithName("BillingPortal")
            .WithSummary("A link to the billing portal for the caller (Bearer token).")
            .RequireAuthorization(Policies.TenantUser);
    }

    private static Result<CheckoutCommand> Validate(HttpContext http, UserId caller, string? claimedUserId, string? planId, string? cycle, string? successUrl, string? cancelUrl)
    {
        var errors = new FieldErrors();
        if (claimedUserId is not null)
        {
            if (!UserId.TryParse(claimedUserId, out var claimed))
            {
                errors.Add("user_id", "Must be a user id as returned by identify.");
            }
            else if (claimed != caller)
            {
                return new Error(ErrorKind.Forbidden, "user_mismatch", "user_id names another user than the token; a checkout is only for the caller.");
            }
        }

        if (!PlanId.TryParse(planId, out var plan))
        {
            errors.Add("plan_id", "Must be a plan id from GET /plans.");
        }

        if (!BillingText.TryParseCycle(cycle, out var billingCycle))
        {
            errors.Add("billing_cycle", "Must be \"monthly\", \"yearly\" or \"lifetime\".");
        }

        if (successUrl is { Length: > MaxUrlLength })
        {
            errors.Add("success_url", $"At most {MaxUrlLength} characters.");
        }

        if (cancelUrl is { Length: > MaxUrlLength })
        {
            errors.Add("cancel_url", $"At most {MaxUrlLength} characters.");
        }

        return errors.Any ? errors.ToError() : new CheckoutCommand(TenantFilter.CurrentTenant(http), caller, plan!.Value, billingCycle, successUrl, cancelUrl);
    }
}

/// <summary>303 See Other: after a GET or a form POST, the browser follows with a GET (TypedResults.Redirect gives 302).</summary>
public sealed class SeeOther(string url) : IResult, IStatusCodeHttpResult
{
    public string Url { get; } = url;

    public int? StatusCode => StatusCodes.Status303SeeOther;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Url;
        return Task.CompletedTask;
    }
}
