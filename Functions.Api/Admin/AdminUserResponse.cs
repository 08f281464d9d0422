using Shared.Domain.Admin;
using Shared.Domain.Users;

namespace Functions.Api.Admin;

/// <summary><c>GET /admin/users/{user_id}</c>: profile, effective roles, plan, subscriptions and how many installations are linked.</summary>
public sealed record AdminUserResponse(
    string UserId,
    string? VerifiedEmail,
    string? ContactEmail,
    string? DisplayName,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Roles,
    string? PlanId,
    IReadOnlyList<AdminSubscriptionItem> Subscriptions,
    int Installations)
{
    public static AdminUserResponse From(AdminUserView view) => new(
        view.Account.Id.Value,
        view.Account.VerifiedEmail?.Value,
        view.Account.ContactEmail?.Value,
        view.Account.DisplayName,
        view.Account.CreatedAt,
        RoleList(view.Roles),
        view.PlanId?.Value,
        [.. view.Subscriptions.Select(AdminSubscriptionItem.From)],
        view.Installations);

    /// <summary>Role names in a fixed order (user, creator, shopkeeper, admin).</summary>
    public static IReadOnlyList<string> RoleList(IReadOnlySet<Role> roles) => [.. roles.Order().Select(r => r.ToClaim())];
}
