namespace Shared.Domain.Wallets;

/// <summary>
/// One append-only ledger entry. <see cref="Amount"/> is the signed change of the balance (a hold and a release change
/// only what is held: their amount is 0 and <see cref="HeldDelta"/> says how much was reserved or freed).
/// <see cref="IdempotencyKey"/> is unique per wallet; <see cref="Requested"/> is what the operation asked for (for a
/// refund more than was left, the shortfall is <c>Requested - |Amount|</c>). <see cref="Sequence"/> orders a wallet's
/// entries (1, 2, 3…, no gaps).
/// </summary>
public sealed record LedgerEntry(
    string Id,
    long Sequence,
    LedgerEntryKind Kind,
    long Amount,
    long HeldDelta,
    long BalanceAfter,
    long HeldAfter,
    string IdempotencyKey,
    string? Reference,
    long Requested,
    DateTimeOffset CreatedAt)
{
    /// <summary>
    /// What a refund could not take back because it had been spent (0 for every other entry, and for the recovery a
    /// top-up writes when a refund of its payment came first: requested 0, it takes back an earlier refund's shortfall).
    /// </summary>
    public long Shortfall => Kind == LedgerEntryKind.Refund ? Math.Max(0, Requested + Amount) : 0;
}
