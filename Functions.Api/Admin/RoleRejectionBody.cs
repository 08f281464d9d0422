namespace Functions.Api.Admin;

/// <summary><c>POST /admin/role-applications/{id}/reject</c>: an optional reason, shown to nobody but admins and the applicant's export.</summary>
public sealed record RoleRejectionBody(string? Reason);
