namespace Shared.Domain.DataSharing.Sales;

/// <summary>
/// What recording a sale did: the sale, how many contributors the release has now (users erased since are no longer
/// contributors), how many were credited and how much in total by this call (or, replayed, by an earlier call of the
/// same sale), how many had been credited by an earlier call with a split they have changed since (not credited again),
/// and whether the sale had been recorded before.
/// </summary>
public sealed record DataSharingSaleReport(DataSharingSale Sale, int Contributors, int Credited, long CreditedCents, int AlreadyCredited, bool Repeated);
