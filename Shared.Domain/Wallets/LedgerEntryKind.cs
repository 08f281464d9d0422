namespace Shared.Domain.Wallets;

/// <summary>Why a ledger entry exists. Stored and answered as snake_case text (<see cref="WalletText"/>).</summary>
public enum LedgerEntryKind
{
    TopUp,
    Purchase,
    Charge,
    Hold,
    Release,
    Refund,
    Expiry,
    Adjustment,
}
