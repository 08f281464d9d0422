using Shared.Domain.Common;

namespace Shared.Domain.Quotas;

/// <summary>What a user used in one ended period, kept when the counter is reset.</summary>
public sealed record UsageArchiveEntry(TenantId TenantId, UserId UserId, PlanId PlanId, UsagePeriod Period, int Used);
