namespace Functions.Api.Admin;

/// <summary><c>POST /roles/applications</c>: the role applied for (creator or shopkeeper) and an optional note to the admins.</summary>
public sealed record RoleApplicationBody(string? Role, string? Note);
