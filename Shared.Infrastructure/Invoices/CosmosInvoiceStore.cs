using System.Globalization;
using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Invoices;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Invoices;

/// <summary>
/// Invoices in Cosmos DB: all of a tenant's invoices, its yearly sequence counters and its source marks live in one
/// logical partition of <c>users</c>, [tenantId, <see cref="PartitionUser"/>] (not a user id: user ids are UUIDs), so
/// an issue is one transactional batch: the year's counter replaced on the ETag it was read with (created when new),
/// the invoice created under its number and the source's mark created under an id derived from the source. If another
/// issue committed since the read (412 on the counter, 409 on a create), nothing was written and the issue starts again
/// from a fresh read, the mark first (so a concurrent issue of the same source becomes a replay). Numbers are therefore
/// gapless and unique. One partition per tenant bounds invoices at Cosmos DB's 20 GB per logical partition (millions of
/// invoices) and its throughput per partition; a tenant beyond that would need the counter split by year.
/// </summary>
public sealed class CosmosInvoiceStore(CosmosDatabase db) : IInvoiceStore
{
    public const string PartitionUser = "~invoices";
    private const int MaxAttempts = 100;
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public static PartitionKey Partition(string tenantId) => new PartitionKeyBuilder().Add(tenantId).Add(PartitionUser).Build();

    public async Task<(Invoice Invoice, bool Created)> IssueAsync(InvoiceDraft draft, CancellationToken cancellationToken)
    {
        var partition = Partition(draft.TenantId);
        var markerId = Keys.Hashed("invoice-source-", InvoiceText.Format(draft.SourceKind) + "\n" + draft.SourceReference);
        var counterId = "invoice-seq-" + draft.IssuedAt.Year.ToString(CultureInfo.InvariantCulture);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (marker, _) = await _users.ReadAsync<InvoiceMarkerDocument>(markerId, partition, cancellationToken);
            if (marker?.Number is { } number)
            {
                var (existing, _) = await _users.ReadAsync<InvoiceDocument>(InvoiceDocument.IdOf(number), partition, cancellationToken);
                return (existing?.ToInvoice() ?? throw new InvalidOperationException($"Invoice {number} is marked issued but missing."), false);
            }

            var (counter, etag) = await _users.ReadAsync<InvoiceMarkerDocument>(counterId, partition, cancellationToken);
            var invoice = draft.Numbered((counter?.Last ?? 0) + 1);
            var next = new InvoiceMarkerDocument { Id = counterId, TenantId = draft.TenantId, Type = "invoice_sequence", Last = invoice.Sequence };
            var batch = _users.CreateTransactionalBatch(partition);
            batch = etag is null
                ? batch.CreateItemStream(CosmosStreams.Serialize(next))
                : batch.ReplaceItemStream(counterId, CosmosStreams.Serialize(next), new TransactionalBatchItemRequestOptions { IfMatchEtag = etag });
            batch = batch
                .CreateItemStream(CosmosStreams.Serialize(InvoiceDocument.From(invoice)))
                .CreateItemStream(CosmosStreams.Serialize(new InvoiceMarkerDocument { Id = markerId, TenantId = draft.TenantId, Type = "invoice_source", Number = invoice.Number }));
            using var response = await batch.ExecuteAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return (invoice, true);
            }

            if (response.StatusCode is not (HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict))
            {
                throw new CosmosException($"Invoice batch failed: {response.ErrorMessage}", response.StatusCode, 0, response.ActivityId, response.RequestCharge);
            }
        }

        throw new InvalidOperationException($"The invoice sequence changed under {MaxAttempts} attempts in a row; no invoice was issued.");
    }

    public async Task<Invoice?> GetAsync(TenantId tenantId, string number, CancellationToken cancellationToken)
    {
        var (document, _) = await _users.ReadAsync<InvoiceDocument>(InvoiceDocument.IdOf(number), Partition(tenantId.Value), cancellationToken);
        return document?.Type == "invoice" ? document.ToInvoice() : null;
    }

    public async Task<IReadOnlyList<Invoice>> ListAsync(TenantId tenantId, UserId owner, string? beforeOrderKey, int pageSize, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @n * FROM c WHERE c.type = 'invoice' AND c.owner_user_id = @u AND c.order_key < @before ORDER BY c.order_key DESC")
            .WithParameter("@n", pageSize)
            .WithParameter("@u", owner.Value)
            .WithParameter("@before", beforeOrderKey ?? "~");
        var documents = await CosmosQueries.ListAsync<InvoiceDocument>(_users, query, new QueryRequestOptions { PartitionKey = Partition(tenantId.Value) }, pageSize, cancellationToken);
        return [.. documents.Select(d => d.ToInvoice())];
    }
}
