using Shared.Domain.Common;

namespace Shared.Domain.Admin;

/// <summary>Admin refunds by tenant and idempotency key: the record that makes a repeated request answer instead of refunding twice.</summary>
public interface IAdminRefundStore
{
    /// <summary>Stores <paramref name="refund"/> unless its key exists; answers the record stored under the key (the new one or the earlier).</summary>
    Task<AdminRefund> GetOrAddAsync(AdminRefund refund, CancellationToken cancellationToken);

    /// <summary>Records the provider's refund id on the key's record (the same id again is a no-op).</summary>
    Task CompleteAsync(TenantId tenantId, string idempotencyKey, string refundId, CancellationToken cancellationToken);
}
