using Shared.Domain.Common;

namespace Shared.Domain.DataSharing.Sales;

/// <summary>A sale of one release (the tenant's release of <see cref="Day"/>) as an admin recorded it; unique per tenant and <see cref="Reference"/>.</summary>
public sealed record DataSharingSale(TenantId TenantId, string Reference, DateOnly Day, long AmountCents, string Currency, DateTimeOffset RecordedAt)
{
    /// <summary>Whether <paramref name="other"/> records the same sale (a retry), whatever its recording time.</summary>
    public bool SameSaleAs(DataSharingSale other) =>
        other is not null && other.TenantId == TenantId && other.Reference == Reference && other.Day == Day && other.AmountCents == AmountCents && other.Currency == Currency;
}
