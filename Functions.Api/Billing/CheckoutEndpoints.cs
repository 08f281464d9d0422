using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Functions.Api.Billing;

/// <summary>
/// Checkout (JSON and a plain redirect for links), cancellation at period end, and the billing portal. Each endpoint
/// parses its transport into a command, calls one use case and maps the result with <see cref="Problems.Map"/>.
/// </summary>
public static class CheckoutEndpoints
{
    private const int MaxUrlLength = 2048;

    public static void MapCheckout(this RouteGroupBuilder v1)
    {
        v1.MapPost("/subscriptions/checkout", StartCheckoutAsync)
            .WithName("StartCheckout")
            .WithSummary("Starts a Stripe Checkout session for the caller (Bearer token, or an upgrade-link ?token=) for a plan and billing cycle; answers its URL.")
            .Accepts<CheckoutRequestBody>("application/json")
            .ProducesCheckoutProblems()
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.CheckoutCaller);

        v1.MapGet("/checkout/{plan_id}", CheckoutRedirectAsync)
            .WithName("CheckoutRedirect")
            .WithSummary("303 See Other to a Checkout session, for plain links (?token=<upgrade-link token>&cycle=monthly&tenant=…); a bare user_id is refused (400 link_token_required).")
            .ProducesCheckoutProblems()
            .RequireAuthorization(Policies.UpgradeLink);

        v1.MapPost("/subscriptions/cancel", CancelAsync)
            .WithName("CancelSubscription")
            .WithSummary("Cancels the caller's subscription at the end of the current period (Bearer token).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost("/subscriptions/portal", PortalAsync)
            .WithName("BillingPortal")
            .WithSummary("A link to the billing portal for the caller (Bearer token).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .RequireAuthorization(Policies.TenantUser);
    }

    private static async Task<Results<Ok<CheckoutResponse>, ProblemHttpResult>> StartCheckoutAsync(HttpContext http, StartCheckout checkout, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CheckoutRequestBody>(http.Request, cancellationToken);
        if (Problems.Failed(body, out var unreadable))
        {
            return unreadable;
        }

        var command = Parse(http, Caller.Required(http), body.Value.UserId, body.Value.PlanId, body.Value.BillingCycle, body.Value.SuccessUrl, body.Value.CancelUrl);
        if (!command.IsSuccess)
        {
            return Problems.From(command.Error!);
        }

        var session = await checkout.HandleAsync(command.Value, cancellationToken);
        return Problems.Map(session, s => TypedResults.Ok(new CheckoutResponse(s.Url, s.Id)));
    }

    private static async Task<Results<SeeOther, ProblemHttpResult>> CheckoutRedirectAsync(string plan_id, string? user_id, string? cycle, HttpContext http, StartCheckout checkout, CancellationToken cancellationToken)
    {
        // The link token (checked by the policy) names the user; a user_id beside it must agree with it.
        var command = Parse(http, Caller.Required(http), user_id, plan_id, cycle ?? "monthly", null, null);
        if (!command.IsSuccess)
        {
            return Problems.From(command.Error!);
        }

        var session = await checkout.HandleAsync(command.Value, cancellationToken);
        return Problems.Map(session, s => new SeeOther(s.Url));
    }

    private static async Task<Results<Ok<CancelResponse>, ProblemHttpResult>> CancelAsync(HttpContext http, CancelSubscription cancel, CancellationToken cancellationToken)
    {
        var cancelled = await cancel.HandleAsync(TenantFilter.CurrentTenant(http), Caller.Required(http), cancellationToken);
        return Problems.Map(cancelled, s => TypedResults.Ok(new CancelResponse(BillingText.Format(s.Status), true, s.CurrentPeriodEnd)));
    }

    private static async Task<Results<Ok<PortalResponse>, ProblemHttpResult>> PortalAsync(HttpContext http, OpenBillingPortal portal, CancellationToken cancellationToken)
    {
        string? returnUrl = null;
        if (http.Request.ContentLength is > 0)
        {
            var body = await JsonBody.ReadAsync<PortalRequestBody>(http.Request, cancellationToken);
            if (Problems.Failed(body, out var unreadable))
            {
                return unreadable;
            }

            returnUrl = body.Value.ReturnUrl;
        }

        var opened = await portal.HandleAsync(TenantFilter.CurrentTenant(http), Caller.Required(http), returnUrl, cancellationToken);
        return Problems.Map(opened, url => TypedResults.Ok(new PortalResponse(url)));
    }

    /// <summary>The problems both checkout routes may answer (the use case's and the payment provider's).</summary>
    private static RouteHandlerBuilder ProducesCheckoutProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status402PaymentRequired)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound)
        .ProducesProblem(StatusCodes.Status409Conflict)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

    /// <summary>The transport's fields as a command: ids and cycle parsed, URLs length-checked (their rule is the use case's).</summary>
    private static Result<CheckoutCommand> Parse(HttpContext http, UserId caller, string? claimedUserId, string? planId, string? cycle, string? successUrl, string? cancelUrl)
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
