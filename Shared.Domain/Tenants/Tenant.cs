using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Shared.Domain.Tenants;

/// <summary>A product sharing this backend: its plans and where its users go to upgrade.</summary>
public sealed record Tenant
{
    public const string UserIdPlaceholder = "{user_id}";

    public Tenant(TenantId id, string name, IReadOnlyList<Plan> plans, string upgradeUrlTemplate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(plans);
        if (plans.Count(p => p.IsDefault) != 1)
        {
            throw new ArgumentException($"Tenant '{id}' must have exactly one default plan.", nameof(plans));
        }

        if (plans.Select(p => p.Id).Distinct().Count() != plans.Count)
        {
            throw new ArgumentException($"Tenant '{id}' has duplicate plan ids.", nameof(plans));
        }

        if (!Uri.TryCreate(upgradeUrlTemplate.Replace(UserIdPlaceholder, "x", StringComparison.Ordinal), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"Tenant '{id}' has an upgrade URL that is not an absolute http(s) URL.", nameof(upgradeUrlTemplate));
        }

        Id = id;
        Name = name;
        Plans = plans;
        UpgradeUrlTemplate = upgradeUrlTemplate;
    }

    public TenantId Id { get; }

    public string Name { get; }

    public IReadOnlyList<Plan> Plans { get; }

    /// <summary>An absolute URL; <c>{user_id}</c> is replaced by the (URL-escaped) user id.</summary>
    public string UpgradeUrlTemplate { get; }

    public Plan DefaultPlan => Plans.Single(p => p.IsDefault);

    public Plan? FindPlan(PlanId id) => Plans.FirstOrDefault(p => p.Id == id);

    /// <summary>The plan and cycle a Stripe price belongs to (subscription events name prices, not plans).</summary>
    public (Plan Plan, BillingCycle Cycle)? FindByStripePrice(string? priceId)
    {
        foreach (var plan in Plans)
        {
            foreach (var cycle in Enum.GetValues<BillingCycle>())
            {
                if (priceId is not null && plan.StripePrices.For(cycle) == priceId)
                {
                    return (plan, cycle);
                }
            }
        }

        return null;
    }

    public string UpgradeUrlFor(UserId user) =>
        UpgradeUrlTemplate.Replace(UserIdPlaceholder, Uri.EscapeDataString(user.Value), StringComparison.Ordinal);
}
