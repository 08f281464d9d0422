namespace Shared.Domain.Wallets;

/// <summary>
/// A wallet's position: <see cref="Balance"/> is everything the owner has (the sum of the ledger's amounts),
/// <see cref="Held"/> the part reserved by open holds (the sum of the ledger's held deltas), so what can be spent is
/// <see cref="Available"/>. Invariant kept by every store: 0 ≤ Held ≤ Balance.
/// </summary>
public sealed record WalletBalance(long Balance, long Held)
{
    public static readonly WalletBalance Empty = new(0, 0);

    public long Available => Balance - Held;
}
