using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Domain.Users;

namespace Shared.Domain.Tenants;

/// <summary>A product sharing this backend: its plans and where its users go to upgrade.</summary>
public sealed record Tenant
{
    /// <summary>Replaced in the upgrade URL by a short-lived signed link token (never by the bare user id).</summary>
    public const string LinkTokenPlaceholder = "{link_token}";

    /// <summary>The placeholder of earlier versions; refused, because a bare user id in a link let anyone holding it start checkouts.</summary>
    public const string RetiredUserIdPlaceholder = "{user_id}";

    public Tenant(TenantId id, string name, IReadOnlyList<Plan> plans, string upgradeUrlTemplate, string? checkoutSuccessUrl = null, string? checkoutCancelUrl = null, IReadOnlyList<string>? allowedOrigins = null, IdentityProvider? identityProvider = null, IReadOnlyList<string>? adminEmails = null)
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

        if (upgradeUrlTemplate.Contains(RetiredUserIdPlaceholder, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Tenant '{id}': the upgrade URL names {RetiredUserIdPlaceholder}; upgrade links carry a signed token now, write {LinkTokenPlaceholder} instead (e.g. ...pricing?token={LinkTokenPlaceholder}).", nameof(upgradeUrlTemplate));
        }

        if (!Uri.TryCreate(upgradeUrlTemplate.Replace(LinkTokenPlaceholder, "x", StringComparison.Ordinal), UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"Tenant '{id}' has an upgrade URL that is not an absolute http(s) URL.", nameof(upgradeUrlTemplate));
        }

        AdminEmails = (adminEmails ?? []).Select(e => EmailAddress.TryParse(e, out var parsed) ? parsed.Value : throw new ArgumentException($"Tenant '{id}': admin email '{e}' is not a valid address.", nameof(adminEmails))).ToHashSet();
        Id = id;
        Name = name;
        IdentityProvider = identityProvider;
        Plans = plans;
        UpgradeUrlTemplate = upgradeUrlTemplate;
        var upgradeOrigin = url.GetLeftPart(UriPartial.Authority);
        CheckoutSuccessUrl = checkoutSuccessUrl ?? upgradeOrigin + "/?checkout=success";
        CheckoutCancelUrl = checkoutCancelUrl ?? upgradeOrigin + "/?checkout=cancelled";
        foreach (var candidate in new[] { CheckoutSuccessUrl, CheckoutCancelUrl })
        {
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var u) || u.Scheme is not ("https" or "http"))
            {
                throw new ArgumentException($"Tenant '{id}' has a checkout URL that is not an absolute http(s) URL.", nameof(checkoutSuccessUrl));
            }
        }

        AllowedOrigins = [.. (allowedOrigins ?? []).Select(o => IsOrigin(o) ? o.TrimEnd('/') : throw new ArgumentException($"Tenant '{id}': '{o}' is not an origin (scheme://host[:port], e.g. chrome-extension://<id> or https://site).", nameof(allowedOrigins)))];
        _redirectAuthorities = [.. new[] { upgradeOrigin, CheckoutSuccessUrl, CheckoutCancelUrl }.Select(u => new Uri(u).GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.OrdinalIgnoreCase)];
    }

    private readonly string[] _redirectAuthorities;

    /// <summary>Browser origins (the extension's chrome-extension:// origin, the pricing site) allowed to call the API (CORS).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; }

    public bool AllowsOrigin(string? origin) => origin is not null && AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);

    private static bool IsOrigin(string candidate) =>
        Uri.TryCreate(candidate, UriKind.Absolute, out var u) && u.Scheme is "https" or "http" or "chrome-extension" or "moz-extension"
        && u.AbsolutePath == "/" && u.Query.Length == 0 && u.Fragment.Length == 0 && !candidate.TrimEnd('/').EndsWith(':');

    /// <summary>Where Stripe sends the user after paying, unless the caller names a URL.</summary>
    public string CheckoutSuccessUrl { get; }

    /// <summary>Where Stripe sends the user after abandoning checkout, unless the caller names a URL.</summary>
    public string CheckoutCancelUrl { get; }

    /// <summary>
    /// Redirects after checkout or the portal may only go to the tenant's own sites (scheme, host and port of its
    /// configured URLs), so nobody can use our checkout as an open redirect.
    /// </summary>
    public bool IsAllowedRedirect(string? url) =>
        url is { Length: <= 2048 } && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "https" or "http"
        && _redirectAuthorities.Contains(u.GetLeftPart(UriPartial.Authority), StringComparer.OrdinalIgnoreCase);

    public TenantId Id { get; }

    /// <summary>
    /// The tenant's first admins (<c>admin_emails</c>): an account whose VERIFIED email is listed is an admin for as long
    /// as it stays listed (<see cref="UserRoles"/>); an unverified or contact email never is.
    /// </summary>
    public IReadOnlySet<EmailAddress> AdminEmails { get; }

    public bool IsConfiguredAdmin(EmailAddress? verifiedEmail) => verifiedEmail is { } email && AdminEmails.Contains(email);
    /// <summary>The tenant's marketplace rules (auto-publish, premium creators, categories); defaults when not configured.</summary>
    public MarketplaceSettings Marketplace { get; init; } = MarketplaceSettings.Default;
    /// <summary>Whether a phone number proven by a one-time code creates a user on first sight (tenants file: <c>phone_signup</c>).</summary>
    public bool AllowsPhoneSignup { get; init; }

    public string Name { get; }

    public IReadOnlyList<Plan> Plans { get; }

    /// <summary>Whose ID tokens prove emails for this tenant; null: no installation can join an existing user by email.</summary>
    public IdentityProvider? IdentityProvider { get; }

    /// <summary>An absolute URL; <c>{link_token}</c> is replaced by the (URL-escaped) signed link token.</summary>
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

    public string UpgradeUrlFor(string linkToken) =>
        UpgradeUrlTemplate.Replace(LinkTokenPlaceholder, Uri.EscapeDataString(linkToken), StringComparison.Ordinal);
}
