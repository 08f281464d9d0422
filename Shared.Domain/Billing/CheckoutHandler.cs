using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Billing;

public sealed record CheckoutCommand(Tenant Tenant, UserId UserId, PlanId PlanId, BillingCycle Cycle, string? SuccessUrl, string? CancelUrl);

/// <summary>
/// Starting a paid subscription, cancelling it, and opening the provider's billing portal. A user may hold several
/// subscriptions (see <see cref="PlanSelection"/>); cancel and portal act on the one that gives the current plan.
/// </summary>
public sealed class CheckoutHandler(IPaymentGateway gateway, IBillingStore billing, IUserDirectory users, IQuotaStore quotas, TimeProvider time)
{
    public async Task<Result<CheckoutSession>> StartAsync(CheckoutCommand command, CancellationToken cancellationToken)
    {
        var tenant = command.Tenant;
        var plan = tenant.FindPlan(command.PlanId);
        if (plan is null)
        {
            return Error.NotFound("plan_not_found", "No such plan in this tenant.");
        }

        if (plan.StripePrices.For(command.Cycle) is not { } priceId)
        {
            return new Error(ErrorKind.Validation, "plan_not_purchasable", $"Plan '{plan.Id}' is not sold {BillingText.Format(command.Cycle)}.");
        }

        var successUrl = command.SuccessUrl ?? tenant.CheckoutSuccessUrl;
        var cancelUrl = command.CancelUrl ?? tenant.CheckoutCancelUrl;
        var fields = new FieldErrors();
        CheckRedirect(tenant, "success_url", successUrl, fields);
        CheckRedirect(tenant, "cancel_url", cancelUrl, fields);

        if (fields.Any)
        {
            return fields.ToError();
        }

        if (await quotas.GetAsync(tenant.Id, command.UserId, cancellationToken) is null)
        {
            return Error.NotFound("user_not_found", "No such user in this tenant.");
        }

        if (await CurrentAsync(tenant, command.UserId, cancellationToken) is { } current)
        {
            return new Error(ErrorKind.Conflict, "already_subscribed", $"The user already subscribes to '{current.PlanId}'; change or cancel it in the billing portal.");
        }

        var customer = await EnsureCustomerAsync(tenant.Id, command.UserId, cancellationToken);
        if (!customer.IsSuccess)
        {
            return customer.Error!;
        }

        // Same user, plan, cycle and URLs on the same day: the same key, so a retried checkout reuses the session.
        var key = Key("checkout", tenant.Id.Value, command.UserId.Value, plan.Id.Value, BillingText.Format(command.Cycle), successUrl, cancelUrl, time.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return await gateway.CreateCheckoutSessionAsync(new CheckoutRequest(tenant.Id, command.UserId, customer.Value, plan.Id, command.Cycle, priceId, successUrl, cancelUrl, key), cancellationToken);
    }

    public async Task<Result<Subscription>> CancelAsync(Tenant tenant, UserId userId, CancellationToken cancellationToken)
    {
        var subscription = await CurrentAsync(tenant, userId, cancellationToken);
        if (subscription is null)
        {
            return Error.NotFound("no_subscription", "The user has no active subscription.");
        }

        if (subscription.Cycle == BillingCycle.Lifetime)
        {
            return new Error(ErrorKind.Conflict, "lifetime_not_cancellable", "A lifetime purchase has nothing to cancel; refunds go through support.");
        }

        var cancelled = await gateway.CancelAtPeriodEndAsync(tenant.Id, subscription.StripeSubscriptionId, Key("cancel", tenant.Id.Value, subscription.StripeSubscriptionId), cancellationToken);
        return cancelled.IsSuccess ? subscription with { CancelAtPeriodEnd = true } : cancelled.Error!;
    }

    public async Task<Result<string>> PortalAsync(Tenant tenant, UserId userId, string? returnUrl, CancellationToken cancellationToken)
    {
        var target = returnUrl ?? tenant.CheckoutSuccessUrl;
        var fields = new FieldErrors();
        CheckRedirect(tenant, "return_url", target, fields);
        if (fields.Any)
        {
            return fields.ToError();
        }

        // The portal of the customer behind the current plan (Stripe's portal lists all of that customer's subscriptions).
        var customer = (await CurrentAsync(tenant, userId, cancellationToken))?.StripeCustomerId ?? await billing.FindCustomerAsync(tenant.Id, userId, cancellationToken);
        if (customer is null)
        {
            return Error.NotFound("no_billing_account", "The user has never paid; there is no billing portal to open.");
        }

        // A double click within the same minute gets the same portal session; a later visit a fresh one (sessions expire).
        var key = Key("portal", tenant.Id.Value, userId.Value, customer, target, time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
        return await gateway.CreatePortalSessionAsync(tenant.Id, customer, target, key, cancellationToken);
    }

    /// <summary>The subscription that gives the user's current plan, if a subscription does.</summary>
    private async Task<Subscription?> CurrentAsync(Tenant tenant, UserId userId, CancellationToken cancellationToken) =>
        PlanSelection.Best(tenant, await billing.ListSubscriptionsAsync(tenant.Id, userId, cancellationToken)).Source;

    private static void CheckRedirect(Tenant tenant, string field, string url, FieldErrors fields)
    {
        if (RedirectUrlRule.Problem(url) is { } problem)
        {
            fields.Add(field, problem);
        }
        else if (!tenant.IsAllowedRedirect(url))
        {
            fields.Add(field, "Must be an absolute http(s) URL on one of the tenant's own hosts.");
        }
    }

    private async Task<Result<string>> EnsureCustomerAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        if (await billing.FindCustomerAsync(tenantId, userId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var user = await users.GetAsync(tenantId, userId, cancellationToken);
        var created = await gateway.CreateCustomerAsync(tenantId, userId, user?.Email, Key("customer", tenantId.Value, userId.Value), cancellationToken);
        return created.IsSuccess ? await billing.LinkCustomerAsync(tenantId, userId, created.Value, cancellationToken) : created.Error!;
    }

    private static string Key(params string[] parts) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}
