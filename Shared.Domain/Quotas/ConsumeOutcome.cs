namespace Shared.Domain.Quotas;

public sealed record ConsumeOutcome(ConsumeKind Kind, QuotaStatus Status);
