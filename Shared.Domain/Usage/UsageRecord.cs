using Shared.Domain.Common;
using Shared.Domain.Quotas;

namespace Shared.Domain.Usage;

/// <summary>One identify call as analytics sees it. The quota counter, not this log, is what limits use.</summary>
public sealed record UsageRecord(TenantId TenantId, UserId UserId, string ActionType, ConsumeKind Outcome, DateTimeOffset At);
