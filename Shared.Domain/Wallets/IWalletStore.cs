namespace Shared.Domain.Wallets;

/// <summary>
/// Wallets and their ledgers. <see cref="ApplyAsync"/> is atomic: the entries and the wallet's new position are written
/// together or not at all, decided by <see cref="WalletLedger"/> on the state current at the write (SQLite: one
/// transaction on the single writer; Cosmos DB: the wallet document, replaced on its ETag, and the entries, in one
/// transactional batch of the owner's partition). A wallet that was never written is empty.
/// </summary>
public interface IWalletStore
{
    Task<WalletResult> ApplyAsync(WalletKey wallet, WalletOperation operation, CancellationToken cancellationToken);

    Task<WalletBalance> GetBalanceAsync(WalletKey wallet, CancellationToken cancellationToken);

    /// <summary>The wallet's open holds, by hold key (amount held); empty for a wallet never written.</summary>
    Task<IReadOnlyDictionary<string, long>> ListOpenHoldsAsync(WalletKey wallet, CancellationToken cancellationToken);

    /// <summary>Entries newest first, <paramref name="pageSize"/> at most, before the sequence number <paramref name="before"/> (null: from the newest).</summary>
    Task<IReadOnlyList<LedgerEntry>> ListEntriesAsync(WalletKey wallet, long? before, int pageSize, CancellationToken cancellationToken);
}
