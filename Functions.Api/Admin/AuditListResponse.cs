namespace Functions.Api.Admin;

/// <summary>One page of the tenant's audit log, newest first; pass <see cref="Continuation"/> back for the next (null at the end).</summary>
public sealed record AuditListResponse(IReadOnlyList<AuditItem> Items, string? Continuation);
