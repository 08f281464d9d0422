using Shared.Domain.Common;

namespace Shared.Domain.Messaging;

/// <summary>The local outbox's read side (development and tests only: GET /api/dev/outbox).</summary>
public interface IOutbox
{
    /// <summary>The latest messages to <paramref name="to"/> (an email or E.164 phone) in the tenant, newest first.</summary>
    Task<IReadOnlyList<OutboxItem>> LatestAsync(TenantId tenantId, string to, int max, CancellationToken cancellationToken);
}
