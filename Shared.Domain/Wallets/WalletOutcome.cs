namespace Shared.Domain.Wallets;

/// <summary>What became of an operation.</summary>
public enum WalletOutcome
{
    /// <summary>Written now.</summary>
    Applied,

    /// <summary>The key was used before by the same operation: the entries are the ones written then.</summary>
    Replayed,

    /// <summary>Not enough available balance: nothing written.</summary>
    InsufficientFunds,

    /// <summary>The key was used before by a different operation (kind or amount): nothing written.</summary>
    IdempotencyConflict,

    /// <summary>A settlement of a hold that is not open (never made): nothing written.</summary>
    HoldNotFound,

    /// <summary>A settlement charging more than the hold: nothing written.</summary>
    ExceedsHold,

    /// <summary>A refund event older than one applied before for the same payment (it asked for less): nothing written.</summary>
    Superseded,
}
