using Microsoft.AspNetCore.Authorization;
using Shared.Domain.Users;

namespace Functions.Api.Auth;

/// <summary>
/// The authorization policies endpoints declare with <c>RequireAuthorization(Policies.X)</c>. Every policy checks the
/// tenant first (<see cref="TenantMatchRequirement"/>). Roles (Shared.Domain/Users/Role.cs): a token carries one role
/// claim per role the user holds (every account is a user); a role policy needs any one of its roles; admin may also do
/// what creator and shopkeeper may. Every endpoint declares one of these or <c>AllowAnonymous()</c>
/// (AuthorizationMatrixTests fails for one that does not). There is no fallback policy on purpose: ASP.NET Core applies
/// it to requests that match no endpoint too, which would turn every 404 (and the Swagger UI) into a 401.
/// </summary>
public static class Policies
{
    /// <summary>An access token of a user (any role) of the request's tenant.</summary>
    public const string TenantUser = "tenant-user";

    /// <summary><see cref="TenantUser"/>, and the route's <c>user_id</c> is the caller (or the caller is an admin).</summary>
    public const string RouteUser = "route-user";

    public const string Creator = "creator";

    public const string Shopkeeper = "shopkeeper";

    /// <summary>
    /// An admin of the request's tenant: the token claims admin AND the store still says so (<see cref="StoredAdminRequirement"/>),
    /// so a revocation takes effect at once here; other roles take effect when the token is renewed.
    /// </summary>
    public const string Admin = "admin";

    /// <summary>An upgrade-link token (<c>?token=</c>) of the request's tenant: the checkout redirect.</summary>
    public const string UpgradeLink = "upgrade-link";

    /// <summary>An access token, or else an upgrade-link token, of the request's tenant: starting a checkout.</summary>
    public const string CheckoutCaller = "checkout-caller";

    private static readonly string[] AnyRole = [.. Enum.GetValues<Role>().Select(r => r.ToClaim())];

    public static void Add(AuthorizationOptions options)
    {
        var tenantUser = Bearer().RequireRole(AnyRole).Build();
        options.AddPolicy(TenantUser, tenantUser);
        options.AddPolicy(RouteUser, Bearer().RequireRole(AnyRole).AddRequirements(new RouteUserRequirement()).Build());
        options.AddPolicy(Creator, Bearer().RequireRole(Role.Creator.ToClaim(), Role.Admin.ToClaim()).Build());
        options.AddPolicy(Shopkeeper, Bearer().RequireRole(Role.Shopkeeper.ToClaim(), Role.Admin.ToClaim()).Build());
        options.AddPolicy(Admin, Bearer().RequireRole(Role.Admin.ToClaim()).AddRequirements(new StoredAdminRequirement()).Build());
        options.AddPolicy(UpgradeLink, Scheme(AuthSchemes.UpgradeLink).Build());
        options.AddPolicy(CheckoutCaller, Scheme(AuthSchemes.BearerOrUpgradeLink).Build());
    }

    private static AuthorizationPolicyBuilder Bearer() => Scheme(AuthSchemes.Bearer);

    private static AuthorizationPolicyBuilder Scheme(string scheme) =>
        new AuthorizationPolicyBuilder(scheme).RequireAuthenticatedUser().AddRequirements(new TenantMatchRequirement());
}
