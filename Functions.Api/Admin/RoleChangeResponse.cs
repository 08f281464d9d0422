using Shared.Domain.Admin;

namespace Functions.Api.Admin;

/// <summary>The user's effective roles after the change; <c>changed</c> false for a repeat.</summary>
public sealed record RoleChangeResponse(string UserId, IReadOnlyList<string> Roles, bool Changed)
{
    public static RoleChangeResponse From(RoleChange change) => new(change.UserId.Value, AdminUserResponse.RoleList(change.Roles), change.Changed);
}
