namespace Shared.Domain.Wallets;

/// <summary>How an operation moves the balance (the entry kind says why).</summary>
public enum WalletOperationType
{
    Credit,
    Debit,
    DebitUpTo,
    Hold,
    Settle,
}
