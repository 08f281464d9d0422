using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>
/// What the checkout use cases share: the subscription behind the user's current plan (a user may hold several, see
/// <see cref="PlanSelection"/>), the redirect rule, and the idempotency keys sent to the payment provider.
/// </summary>
internal static class CheckoutRules
{
    /// <summary>The subscription that gives the user's current plan, if a subscription does.</summary>
    public static async Task<Subscription?> CurrentAsync(IBillingStore billing, Tenant tenant, UserId userId, CancellationToken cancellationToken) =>
        PlanSelection.Best(tenant, await billing.ListSubscriptionsAsync(tenant.Id, userId, cancellationToken)).Source;

    public static void CheckRedirect(Tenant tenant, string field, string url, FieldErrors fields)
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

    /// <summary>An idempotency key for the provider: the same parts give the same key, so a retried call reuses the first one's result.</summary>
    public static string Key(params string[] parts) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts))));
}
