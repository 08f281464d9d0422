using Shared.Domain.Common;

namespace Shared.Domain.Invoices;

/// <summary>
/// Invoices. <see cref="IssueAsync"/> is atomic and idempotent per (tenant, source kind, source reference): the number
/// is allocated from the tenant's sequence for the draft's year in the same write that stores the invoice and marks
/// the source, so no number is ever skipped or used twice, and a second issue for the same source answers the first
/// invoice (SQLite: one write unit on the single writer; Cosmos DB: one transactional batch in the tenant's invoice
/// partition, conditional on the counter's ETag).
/// </summary>
public interface IInvoiceStore
{
    Task<(Invoice Invoice, bool Created)> IssueAsync(InvoiceDraft draft, CancellationToken cancellationToken);

    Task<Invoice?> GetAsync(TenantId tenantId, string number, CancellationToken cancellationToken);

    /// <summary>The owner's invoices, newest first, at most <paramref name="pageSize"/>, before <paramref name="beforeOrderKey"/> (null: from the newest).</summary>
    Task<IReadOnlyList<Invoice>> ListAsync(TenantId tenantId, UserId owner, string? beforeOrderKey, int pageSize, CancellationToken cancellationToken);
}
