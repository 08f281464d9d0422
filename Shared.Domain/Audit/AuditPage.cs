namespace Shared.Domain.Audit;

/// <summary>One page of audit entries and the opaque token for the next one (null on the last page).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? Continuation);
