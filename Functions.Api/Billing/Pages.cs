using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Functions.Api.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Stripe;

namespace Functions.Api.Billing;

/// <summary>
/// Browser pages: the tenant's pricing page (served by the API so the upgrade flow can be clicked through locally) and,
/// when the local payment sandbox is the payment provider, its checkout and portal pages.
/// </summary>
public static class Pages
{
    public static void MapPricingPage(this RouteGroupBuilder v1) =>
        v1.MapGet("/tenants/{tenant_id}/pricing", PricingPageAsync)
            .AllowAnonymous()
            .WithName("PricingPage")
            .WithSummary("The tenant's pricing page (HTML); with a valid upgrade-link ?token= an Upgrade link per plan and cycle.");

    public static void MapSandboxPages(this IEndpointRouteBuilder app)
    {
        var sandbox = app.MapGroup("/api/sandbox").AllowAnonymous(); // the payment provider's pages: a session id is the key
        sandbox.MapGet("/checkout/{session_id}", SandboxCheckoutPage)
            .WithName("SandboxCheckoutPage").ExcludeFromDescription()
            .ProducesProblem(StatusCodes.Status404NotFound);

        sandbox.MapPost("/checkout/{session_id}/pay", SandboxPayAsync)
            .WithName("SandboxPay").ExcludeFromDescription().DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        sandbox.MapPost("/checkout/{session_id}/cancel", SandboxAbandon)
            .WithName("SandboxAbandon").ExcludeFromDescription().DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status404NotFound);

        sandbox.MapGet("/portal/{portal_id}", SandboxPortalPageAsync)
            .WithName("SandboxPortalPage").ExcludeFromDescription()
            .ProducesProblem(StatusCodes.Status404NotFound);

        sandbox.MapPost("/portal/{portal_id}/cancel", SandboxPortalCancelAsync)
            .WithName("SandboxPortalCancel").ExcludeFromDescription().DisableAntiforgery()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> PricingPageAsync(string tenant_id, HttpContext http)
    {
        var tenant = TenantFilter.CurrentTenant(http);
        // Upgrade buttons only for a valid, unexpired link token of this tenant (identify's upgrade_url); they
        // carry the same token, never the user id. Without one the page shows the plans only.
        var link = await http.AuthenticateAsync(Auth.AuthSchemes.UpgradeLink);
        var token = link.Succeeded && Auth.Caller.TenantOf(link.Principal) == tenant.Id.Value ? http.Request.Query[Auth.AuthSchemes.LinkTokenQuery].ToString() : null;
        var html = new StringBuilder();
        foreach (var plan in tenant.Plans)
        {
            html.Append(CultureInfo.InvariantCulture, $"<section class=\"plan\" data-plan=\"{E(plan.Id.Value)}\"><h2>{E(plan.Name)}</h2>");
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"allowance\">{(plan.Allowance.Limit is { } limit ? $"{limit:N0} uses per {(plan.Allowance.Period == Shared.Domain.Quotas.ResetPeriod.Day ? "day" : "month")}" : "Unlimited uses")}</p><ul>");
            foreach (var feature in plan.Features)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(feature)}</li>");
            }

            html.Append("</ul>");
            foreach (var cycle in Enum.GetValues<BillingCycle>().Where(c => plan.StripePrices.For(c) is not null))
            {
                var label = cycle == BillingCycle.Lifetime ? $"{Price(plan.PriceFor(cycle))} once, for life" : $"{Price(plan.PriceFor(cycle))} / {(cycle == BillingCycle.Monthly ? "month" : "year")}";
                if (token is null)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<p>{E(label)}</p>");
                    continue;
                }

                var href = $"/api/v1/checkout/{Uri.EscapeDataString(plan.Id.Value)}?token={Uri.EscapeDataString(token!)}&cycle={BillingText.Format(cycle)}&tenant={Uri.EscapeDataString(tenant.Id.Value)}";
                html.Append(CultureInfo.InvariantCulture, $"<a class=\"upgrade\" data-cycle=\"{BillingText.Format(cycle)}\" href=\"{E(href)}\">Upgrade: {E(label)}</a> ");
            }

            html.Append("</section>");
        }

        var note = token is not null ? ""
            : http.Request.Query.ContainsKey(Auth.AuthSchemes.LinkTokenQuery) ? "<p class=\"note expired\">This upgrade link has expired or is not valid. Open the upgrade link from the extension again to buy a plan.</p>"
            : "<p class=\"note\">Open this page from the extension's upgrade link to buy a plan.</p>";
        return Html($"{E(tenant.Name)}: plans", $"<h1>{E(tenant.Name)}</h1>{note}{html}");
    }

    private static IResult SandboxCheckoutPage(string session_id, LocalPaymentSandbox payments) =>
        payments.FindPayment(session_id) is { } payment
            ? Html(
                "Local payment sandbox",
                $"""
                <p class="banner">LOCAL PAYMENT SANDBOX: no real payment is taken.</p>
                <h1>{E(payment.TenantName)}: {E(payment.Request.ProductName)}</h1>
                <p class="price">{E(Price(payment.Request.Total))} once</p>
                <form method="post" action="/api/sandbox/checkout/{E(session_id)}/pay"><button id="pay" type="submit">Pay</button></form>
                <form method="post" action="/api/sandbox/checkout/{E(session_id)}/cancel"><button id="cancel" type="submit">Cancel</button></form>
                """)
        : payments.FindSession(session_id) is not { } session
            ? Problems.From(Error.NotFound("sandbox_session_unknown", "No such open sandbox checkout session."))
            : Html(
                "Local payment sandbox",
                $"""
                <p class="banner">LOCAL PAYMENT SANDBOX: no real payment is taken.</p>
                <h1>{E(session.TenantName)}: {E(session.Plan.Name)}</h1>
                <p class="price">{E(Price(session.Price))}{(session.Request.Cycle switch { BillingCycle.Monthly => " / month", BillingCycle.Yearly => " / year", _ => " once, for life" })}</p>
                <form method="post" action="/api/sandbox/checkout/{E(session_id)}/pay"><button id="pay" type="submit">Pay</button></form>
                <form method="post" action="/api/sandbox/checkout/{E(session_id)}/cancel"><button id="cancel" type="submit">Cancel</button></form>
                """);

    private static async Task<Results<SeeOther, ProblemHttpResult>> SandboxPayAsync(string session_id, LocalPaymentSandbox payments, CancellationToken cancellationToken) =>
        Problems.Map(await payments.PayAsync(session_id, cancellationToken), url => new SeeOther(url));

    private static Results<SeeOther, ProblemHttpResult> SandboxAbandon(string session_id, LocalPaymentSandbox payments) =>
        Problems.Map(payments.Abandon(session_id), url => new SeeOther(url));

    /// <summary>
    /// The billing portal Stripe would host: the customer's subscriptions with their plan, Cancel (at period end, sending
    /// customer.subscription.updated as Stripe does), and a link back to the return URL. Everything shown is HTML-encoded;
    /// the portal id is the only credential, as Stripe's portal link is.
    /// </summary>
    private static async Task<IResult> SandboxPortalPageAsync(string portal_id, LocalPaymentSandbox payments, ITenantDirectory tenants, CancellationToken cancellationToken)
    {
        if (payments.FindPortal(portal_id) is not { } portal)
        {
            return Problems.From(Error.NotFound("sandbox_portal_unknown", "No such open sandbox portal session (they last an hour)."));
        }

        var tenant = await tenants.FindAsync(portal.TenantId, cancellationToken);
        var rows = new StringBuilder();
        foreach (var s in payments.SubscriptionsOf(portal.TenantId, portal.CustomerId))
        {
            var planName = tenant?.FindPlan(s.PlanId)?.Name ?? s.PlanId.Value;
            var ends = s.PeriodEnd.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            rows.Append(CultureInfo.InvariantCulture, $"<section class=\"plan\" data-subscription=\"{E(s.SubscriptionId)}\"><h2>{E(planName)}</h2>");
            rows.Append(s.CancelAtPeriodEnd
                ? $"<p class=\"status\">Cancelled: ends on {E(ends)}.</p>"
                : $"<p class=\"status\">Active: renews on {E(ends)}.</p><form method=\"post\" action=\"/api/sandbox/portal/{E(portal_id)}/cancel\"><input type=\"hidden\" name=\"subscription_id\" value=\"{E(s.SubscriptionId)}\"><button class=\"cancel\" type=\"submit\">Cancel at period end</button></form>");
            rows.Append("</section>");
        }

        if (rows.Length == 0)
        {
            rows.Append("<p class=\"empty\">The sandbox knows no subscription of this customer (it keeps them in memory only).</p>");
        }

        return Html(
            "Local payment sandbox: billing portal",
            $"""
            <p class="banner">LOCAL PAYMENT SANDBOX: no real payment is taken.</p>
            <h1>{E(tenant?.Name ?? portal.TenantId.Value)}: your subscriptions</h1>
            {rows}
            <p><a id="return" href="{E(portal.ReturnUrl)}">Return to {E(tenant?.Name ?? portal.TenantId.Value)}</a></p>
            """);
    }

    private static async Task<Results<SeeOther, ProblemHttpResult>> SandboxPortalCancelAsync(string portal_id, HttpContext http, LocalPaymentSandbox payments, CancellationToken cancellationToken)
    {
        if (!http.Request.HasFormContentType)
        {
            return Problems.From(new Error(ErrorKind.UnsupportedMediaType, "unsupported_media_type", "Send the portal's form."));
        }

        var form = await http.Request.ReadFormAsync(cancellationToken);
        if (form["subscription_id"] is not [{ Length: > 0 and <= 255 } subscriptionId])
        {
            return Problems.From(Error.Validation("subscription_id", "Name one subscription of this portal session."));
        }

        var cancelled = await payments.CancelFromPortalAsync(portal_id, subscriptionId, cancellationToken);
        return Problems.Map(cancelled, _ => new SeeOther($"/api/sandbox/portal/{Uri.EscapeDataString(portal_id)}"));
    }

    private static PageResult Html(string title, string body) => new(Results.Content(
            $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>{{title}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem}.plan{border:1px solid #ccc;border-radius:8px;padding:1rem;margin:1rem 0}.upgrade,button{display:inline-block;padding:.5rem 1rem;background:#2456d3;color:#fff;border:0;border-radius:6px;text-decoration:none;cursor:pointer}.banner{background:#fff3cd;padding:.5rem}</style>
            </head><body>{{body}}</body></html>
            """,
            "text/html; charset=utf-8"));

    private sealed class PageResult(IResult inner) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.ContentSecurityPolicy = SecurityHeaders.PagePolicy;
            return inner.ExecuteAsync(httpContext);
        }
    }

    private static string Price(Money money) =>
        money.MinorUnits == 0 ? "Free" : $"{money.Currency} {(money.MinorUnits / 100m).ToString("0.00", CultureInfo.InvariantCulture)}";

    private static string E(string text) => HtmlEncoder.Default.Encode(text);
}
