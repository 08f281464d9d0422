namespace Functions.Api.Admin;

public sealed record RoleApplicationListResponse(IReadOnlyList<RoleApplicationResponse> Items, string? Continuation);
