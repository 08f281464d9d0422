namespace Shared.Domain.Wallets;

/// <summary>
/// One change to a wallet, named by an idempotency key unique per wallet: repeating it answers the entries it wrote;
/// the same key with another kind or amount is refused. Build with the factories, which say what each kind means.
/// </summary>
public sealed record WalletOperation(WalletOperationType Type, LedgerEntryKind Kind, long Amount, string IdempotencyKey, string? Reference, string? HoldKey = null)
{
    /// <summary>Adds <paramref name="amount"/> (top-up, positive adjustment).</summary>
    public static WalletOperation Credit(LedgerEntryKind kind, long amount, string idempotencyKey, string? reference) =>
        new(WalletOperationType.Credit, kind, amount, idempotencyKey, reference);

    /// <summary>Takes <paramref name="amount"/> from what is available, or nothing (purchase, charge, expiry, negative adjustment).</summary>
    public static WalletOperation Debit(LedgerEntryKind kind, long amount, string idempotencyKey, string? reference) =>
        new(WalletOperationType.Debit, kind, amount, idempotencyKey, reference);

    /// <summary>
    /// A payment refunded by the provider, <paramref name="cumulative"/> being everything refunded of payment
    /// <paramref name="payment"/> so far: takes back the increment over earlier refunds of that payment, as much of it as
    /// is available; the rest is recorded as a shortfall. Keyed <c>refund:{payment}:{cumulative}</c>.
    /// </summary>
    public static WalletOperation Refund(string payment, long cumulative) =>
        new(WalletOperationType.DebitUpTo, LedgerEntryKind.Refund, cumulative, $"refund:{payment}:{cumulative}", payment);

    /// <summary>Reserves <paramref name="amount"/> of what is available, or nothing; the hold is named by its idempotency key.</summary>
    public static WalletOperation Hold(long amount, string holdKey, string? reference) =>
        new(WalletOperationType.Hold, LedgerEntryKind.Hold, amount, holdKey, reference, holdKey);

    /// <summary>
    /// Closes an open hold: <paramref name="charged"/> (0 up to the hold) becomes a charge, the rest is released.
    /// Idempotent per hold (key <c>settle:{holdKey}</c>): a hold settles once.
    /// </summary>
    public static WalletOperation Settle(string holdKey, long charged, string? reference) =>
        new(WalletOperationType.Settle, charged > 0 ? LedgerEntryKind.Charge : LedgerEntryKind.Release, charged, SettleKey(holdKey), reference, holdKey);

    /// <summary>The key of a hold's settlement (its first entry); the release of the rest is <c>{SettleKey}:release</c>.</summary>
    public static string SettleKey(string holdKey) => "settle:" + holdKey;

    public static string ReleaseKey(string holdKey) => SettleKey(holdKey) + ":release";
}
