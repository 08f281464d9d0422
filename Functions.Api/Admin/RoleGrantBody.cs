namespace Functions.Api.Admin;

/// <summary><c>POST /admin/users/{user_id}/roles</c>: the role to grant (creator, shopkeeper or admin).</summary>
public sealed record RoleGrantBody(string? Role);
