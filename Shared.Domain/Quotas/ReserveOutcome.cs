namespace Shared.Domain.Quotas;

public sealed record ReserveOutcome(ReserveKind Kind, QuotaStatus Status);
