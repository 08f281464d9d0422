using System.Globalization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.DataSharing.Sales;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.DataSharing;

/// <summary>Sales in the insights container, one fixed id per [tenant, "sale:{reference}"] partition: create-if-absent, else read the earlier one.</summary>
public sealed class CosmosDataSharingSaleStore(CosmosDatabase db) : IDataSharingSaleStore
{
    public const string SaleId = "dp_sale";
    public const string SaleType = "dp_sale";
    private readonly Container _insights = db.Container(CosmosContainers.Insights);

    public async Task<(DataSharingSale Sale, bool Created)> CreateOrGetAsync(DataSharingSale sale, CancellationToken cancellationToken)
    {
        var document = new DataSharingSaleDocument
        {
            TenantId = sale.TenantId.Value,
            Key = "sale:" + sale.Reference,
            Reference = sale.Reference,
            ReleaseDay = sale.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            AmountCents = sale.AmountCents,
            Currency = sale.Currency,
            RecordedAtMs = sale.RecordedAt.ToUnixTimeMilliseconds(),
            Contributors = sale.Contributors,
        };
        if (await _insights.TryCreateAsync(document, Key(sale.TenantId, sale.Reference), cancellationToken))
        {
            return (sale, true);
        }

        return (await GetAsync(sale.TenantId, sale.Reference, cancellationToken) ?? throw new InvalidOperationException("A sale that conflicted on create is missing."), false);
    }

    public async Task<DataSharingSale?> GetAsync(TenantId tenantId, string reference, CancellationToken cancellationToken)
    {
        var (d, _) = await _insights.ReadAsync<DataSharingSaleDocument>(SaleId, Key(tenantId, reference), cancellationToken);
        return d is null
            ? null
            : new DataSharingSale(tenantId, d.Reference, DateOnly.ParseExact(d.ReleaseDay, "yyyy-MM-dd", CultureInfo.InvariantCulture), d.AmountCents, d.Currency, DateTimeOffset.FromUnixTimeMilliseconds(d.RecordedAtMs), d.Contributors);
    }

    private static PartitionKey Key(TenantId tenantId, string reference) => new PartitionKeyBuilder().Add(tenantId.Value).Add("sale:" + reference).Build();
}
