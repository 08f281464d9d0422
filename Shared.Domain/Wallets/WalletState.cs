namespace Shared.Domain.Wallets;

/// <summary>
/// What a store knows of a wallet before an operation: its position, its last sequence number, its open holds and, for
/// a refund, what earlier refunds of the same payment (<see cref="WalletOperation.Reference"/>) asked for; for a top-up,
/// what refunds of the same payment recorded before it could not take back (<see cref="ShortfallForReference"/>: the sum
/// of their <c>Requested + Amount</c>, so a recovery entry written by the top-up, requested 0, cancels what it took).
/// </summary>
public sealed record WalletState(WalletBalance Balance, long Sequence, IReadOnlyDictionary<string, long> OpenHolds, long RefundedForReference = 0, long ShortfallForReference = 0)
{
    public static readonly WalletState Empty = new(WalletBalance.Empty, 0, new Dictionary<string, long>(StringComparer.Ordinal));
}
