using Shared.Domain.Audit;

namespace Functions.Api.Admin;

public sealed record AuditItem(string Action, string? ActorId, string? TargetId, DateTimeOffset At, string? Address, string? CorrelationId, IReadOnlyDictionary<string, string>? Details)
{
    public static AuditItem From(AuditEntry e) => new(e.Action, e.ActorId, e.TargetId, e.At, e.Address, e.CorrelationId, e.Details);
}
