namespace Shared.Domain.DataSharing.Sales;

/// <summary>A sale as an admin posts it: the release by <see cref="Day"/> or <see cref="ReleaseId"/> (exactly one), the amount in minor units, its currency and the admin's unique reference.</summary>
public sealed record DataSharingSaleInput(string? Day, string? ReleaseId, long? AmountCents, string? Currency, string? Reference);
