using Shared.Domain.Common;

namespace Shared.Domain.Ai;

/// <summary>
/// Our own per-tenant AI rate limit refused the call before it reached the provider. Unlike
/// <see cref="AiProviderException"/> nothing failed: the caller should come back after <see cref="RetryAfter"/>, and a
/// job waiting for it has not spent an attempt.
/// </summary>
public sealed class AiRateLimitExceededException(TenantId tenantId, TimeSpan retryAfter)
    : Exception($"Tenant {tenantId} is over its AI rate limit; capacity frees up in {retryAfter.TotalSeconds:0.###} s.")
{
    public TenantId TenantId { get; } = tenantId;

    public TimeSpan RetryAfter { get; } = retryAfter;
}
