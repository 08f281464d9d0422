namespace Functions.Api.Marketplace;

/// <summary>One ledger entry: <c>kind</c> sale (the creator's share, positive) or reversal (negative), in minor units.</summary>
public sealed record EarningsItemResponse(string ItemId, string Kind, long AmountCents, string Currency, DateTimeOffset CreatedAt);
