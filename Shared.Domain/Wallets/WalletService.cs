using Shared.Domain.Common;

namespace Shared.Domain.Wallets;

/// <summary>
/// The wallet use cases other features call (top-ups, refunds, campaigns' hold → settle): checks the inputs and applies
/// the operation. Campaign dispatch holds the cost once (<see cref="HoldAsync"/>), then settles what was delivered
/// (<see cref="SettleAsync"/>: the charge, and the release of the rest) or releases it all (<see cref="ReleaseAsync"/>).
/// </summary>
public sealed class WalletService(IWalletStore store)
{
    public const int MaxKeyLength = 200;

    public Task<Result<WalletResult>> CreditAsync(WalletKey wallet, LedgerEntryKind kind, long amount, string idempotencyKey, string? reference, CancellationToken cancellationToken) =>
        kind is LedgerEntryKind.TopUp or LedgerEntryKind.Adjustment or LedgerEntryKind.Refund
            ? RunAsync(wallet, WalletOperation.Credit(kind, amount, idempotencyKey, reference), positive: true, cancellationToken)
            : Task.FromResult<Result<WalletResult>>(Error.Validation("kind", "A credit is a top-up, a refund to the wallet or an adjustment."));

    public Task<Result<WalletResult>> DebitAsync(WalletKey wallet, LedgerEntryKind kind, long amount, string idempotencyKey, string? reference, CancellationToken cancellationToken) =>
        kind is LedgerEntryKind.Purchase or LedgerEntryKind.Charge or LedgerEntryKind.Expiry or LedgerEntryKind.Adjustment
            ? RunAsync(wallet, WalletOperation.Debit(kind, amount, idempotencyKey, reference), positive: true, cancellationToken)
            : Task.FromResult<Result<WalletResult>>(Error.Validation("kind", "A debit is a purchase, a charge, an expiry or an adjustment."));

    /// <summary>A payment refunded by the provider (<paramref name="cumulative"/>: all refunded of it so far): takes back what is left of the increment, records the shortfall.</summary>
    public Task<Result<WalletResult>> RefundPaymentAsync(WalletKey wallet, string payment, long cumulative, CancellationToken cancellationToken) =>
        RunAsync(wallet, WalletOperation.Refund(payment, cumulative), positive: true, cancellationToken);

    public Task<Result<WalletResult>> HoldAsync(WalletKey wallet, long amount, string holdKey, string? reference, CancellationToken cancellationToken) =>
        RunAsync(wallet, WalletOperation.Hold(amount, holdKey, reference), positive: true, cancellationToken);

    public Task<Result<WalletResult>> SettleAsync(WalletKey wallet, string holdKey, long charged, string? reference, CancellationToken cancellationToken) =>
        RunAsync(wallet, WalletOperation.Settle(holdKey, charged, reference), positive: false, cancellationToken);

    public Task<Result<WalletResult>> ReleaseAsync(WalletKey wallet, string holdKey, string? reference, CancellationToken cancellationToken) =>
        SettleAsync(wallet, holdKey, 0, reference, cancellationToken);

    public Task<WalletBalance> GetBalanceAsync(WalletKey wallet, CancellationToken cancellationToken) => store.GetBalanceAsync(wallet, cancellationToken);

    public Task<IReadOnlyDictionary<string, long>> ListOpenHoldsAsync(WalletKey wallet, CancellationToken cancellationToken) => store.ListOpenHoldsAsync(wallet, cancellationToken);

    private async Task<Result<WalletResult>> RunAsync(WalletKey wallet, WalletOperation operation, bool positive, CancellationToken cancellationToken)
    {
        if (operation.Amount < 0 || (positive && operation.Amount == 0))
        {
            return Error.Validation("amount", positive ? "Must be greater than zero." : "Must be zero or more.");
        }

        var key = operation.HoldKey ?? operation.IdempotencyKey;
        if (string.IsNullOrEmpty(key) || key.Length > MaxKeyLength || key.Any(char.IsControl))
        {
            return Error.Validation("idempotency_key", $"1 to {MaxKeyLength} printable characters.");
        }

        return await store.ApplyAsync(wallet, operation, cancellationToken);
    }
}
