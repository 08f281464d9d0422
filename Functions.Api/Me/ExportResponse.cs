namespace Functions.Api.Me;

/// <summary>GET /users/me/export: every feature's section of what is stored about the caller.</summary>
public sealed record ExportResponse(string UserId, string TenantId, string ExportedAt, IReadOnlyList<ExportSection> Sections);
