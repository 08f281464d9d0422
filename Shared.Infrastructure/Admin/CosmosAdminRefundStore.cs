using Microsoft.Azure.Cosmos;
using Shared.Domain.Admin;
using Shared.Domain.Common;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Admin;

/// <summary>
/// Admin refunds as small documents in <c>lookups</c> (one per idempotency key, the key hashed into the id): a create
/// that fails on conflict decides which request owns a key; completion patches in the provider's refund id.
/// </summary>
public sealed class CosmosAdminRefundStore(CosmosDatabase db) : IAdminRefundStore
{
    private readonly Container _lookups = db.Container(CosmosContainers.Lookups);

    public async Task<AdminRefund> GetOrAddAsync(AdminRefund refund, CancellationToken cancellationToken)
    {
        var lookupKey = LookupKey(refund.IdempotencyKey);
        var partitionKey = Keys.Lookup(refund.TenantId, lookupKey);
        if (await _lookups.TryCreateAsync(AdminRefundDocument.From(refund, lookupKey), partitionKey, cancellationToken))
        {
            return refund;
        }

        var (existing, _) = await _lookups.ReadAsync<AdminRefundDocument>(lookupKey, partitionKey, cancellationToken);
        return existing?.ToRefund() ?? throw new InvalidOperationException("A refund record conflicted on create but cannot be read.");
    }

    public async Task CompleteAsync(TenantId tenantId, string idempotencyKey, string refundId, CancellationToken cancellationToken)
    {
        var lookupKey = LookupKey(idempotencyKey);
        using var response = await _lookups.PatchItemStreamAsync(lookupKey, Keys.Lookup(tenantId, lookupKey), [PatchOperation.Set("/refund_id", refundId)], cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private static string LookupKey(string idempotencyKey) => Keys.Hashed("refund:", idempotencyKey);
}
