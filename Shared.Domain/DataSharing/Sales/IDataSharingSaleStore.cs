using Shared.Domain.Common;

namespace Shared.Domain.DataSharing.Sales;

/// <summary>Recorded sales of releases, unique per tenant and reference.</summary>
public interface IDataSharingSaleStore
{
    /// <summary>Stores <paramref name="sale"/> unless the tenant has a sale with its reference: the sale stored under that reference (this one, created, or the earlier one).</summary>
    Task<(DataSharingSale Sale, bool Created)> CreateOrGetAsync(DataSharingSale sale, CancellationToken cancellationToken);

    Task<DataSharingSale?> GetAsync(TenantId tenantId, string reference, CancellationToken cancellationToken);
}
