using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Users;

namespace Shared.Domain.Billing;

/// <summary>
/// Starts a checkout session for a plan and billing cycle: the plan must be sold at that cycle, the redirect URLs on the
/// tenant's own hosts, the user known and not already subscribed. The provider's customer is created once per user.
/// </summary>
public sealed class StartCheckout(IPaymentGateway gateway, IBillingStore billing, IUserDirectory users, IQuotaStore quotas, TimeProvider time)
{
    public async Task<Result<CheckoutSession>> HandleAsync(CheckoutCommand command, CancellationToken cancellationToken)
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
        CheckoutRules.CheckRedirect(tenant, "success_url", successUrl, fields);
        CheckoutRules.CheckRedirect(tenant, "cancel_url", cancelUrl, fields);

        if (fields.Any)
        {
            return fields.ToError();
        }

        if (await quotas.GetAsync(tenant.Id, command.UserId, cancellationToken) is null)
        {
            return Error.NotFound("user_not_found", "No such user in this tenant.");
        }

        if (await CheckoutRules.CurrentAsync(billing, tenant, command.UserId, cancellationToken) is { } current)
        {
            return new Error(ErrorKind.Conflict, "already_subscribed", $"The user already subscribes to '{current.PlanId}'; change or cancel it in the billing portal.");
        }

        var customer = await EnsureCustomerAsync(tenant.Id, command.UserId, cancellationToken);
        if (!customer.IsSuccess)
        {
            return customer.Error!;
        }

        // Same user, plan, cycle and URLs on the same day: the same key, so a retried checkout reuses the session.
        var key = CheckoutRules.Key("checkout", tenant.Id.Value, command.UserId.Value, plan.Id.Value, BillingText.Format(command.Cycle), successUrl, cancelUrl, time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return await gateway.CreateCheckoutSessionAsync(new CheckoutRequest(tenant.Id, command.UserId, customer.Value, plan.Id, command.Cycle, priceId, successUrl, cancelUrl, key), cancellationToken);
    }

    private async Task<Result<string>> EnsureCustomerAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        if (await billing.FindCustomerAsync(tenantId, userId, cancellationToken) is { } existing)
        {
            return existing;
        }

        var user = await users.GetAsync(tenantId, userId, cancellationToken);
        var created = await gateway.CreateCustomerAsync(tenantId, userId, user?.Email, CheckoutRules.Key("customer", tenantId.Value, userId.Value), cancellationToken);
        return created.IsSuccess ? await billing.LinkCustomerAsync(tenantId, userId, created.Value, cancellationToken) : created.Error!;
    }
}
