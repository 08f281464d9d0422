using Shared.Domain.Common;

namespace Shared.Domain.DataSharing.Sales;

/// <summary>
/// A sale of one release (the tenant's release of <see cref="Day"/>) as an admin recorded it; unique per tenant and
/// <see cref="Reference"/>. <see cref="Contributors"/> is the number of contributors when the sale was first recorded:
/// every attempt divides by it, so a retry after a contributor's erasure credits the others what the first attempt
/// would have (dividing by the contributors left would credit more than the sale).
/// </summary>
public sealed record DataSharingSale(TenantId TenantId, string Reference, DateOnly Day, long AmountCents, string Currency, DateTimeOffset RecordedAt, int Contributors)
{
    /// <summary>Whether <paramref name="other"/> records the same sale (a retry), whatever its recording time.</summary>
    public bool SameSaleAs(DataSharingSale other) =>
        other is not null && other.TenantId == TenantId && other.Reference == Reference && other.Day == Day && other.AmountCents == AmountCents && other.Currency == Currency;
}
