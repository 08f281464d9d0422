namespace Shared.Domain.Wallets;

/// <summary>
/// The wallet's rules, the same for every store: given the wallet's state (read in the same transaction, or at the
/// version the write is conditional on), decide what an operation writes. Stores only read the state, look up an
/// idempotency key and write the plan atomically; they never decide amounts themselves, so both stores agree.
/// </summary>
public static class WalletLedger
{
    /// <summary>The answer for an operation whose key is taken by <paramref name="existing"/> (its first entry).</summary>
    public static WalletOutcome Replay(LedgerEntry existing, WalletOperation operation) =>
        existing.Kind == operation.Kind && (existing.Requested == operation.Amount || operation.Type == WalletOperationType.DebitUpTo)
            ? WalletOutcome.Replayed // a refund's key names its cumulative amount; its entry records the increment
            : WalletOutcome.IdempotencyConflict;

    /// <summary>The key of the refund entry a top-up writes when refunds of its payment arrived first (see <see cref="Plan"/>).</summary>
    public static string RecoveryKey(string creditKey) => creditKey + ":refunded-before";

    /// <summary>The entries a fresh operation writes on <paramref name="state"/>, or why it writes nothing.</summary>
    public static WalletPlan Plan(WalletState state, WalletOperation operation, DateTimeOffset now, Func<string> newId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operation.Amount);
        var balance = state.Balance;
        var seq = state.Sequence;
        var entries = new List<LedgerEntry>(2);
        var holds = state.OpenHolds;
        string? opened = null;
        string? closed = null;

        void Add(LedgerEntryKind kind, long amount, long heldDelta, string key, long? requested = null)
        {
            balance = new WalletBalance(balance.Balance + amount, balance.Held + heldDelta);
            entries.Add(new LedgerEntry(newId(), ++seq, kind, amount, heldDelta, balance.Balance, balance.Held, key, operation.Reference, requested ?? operation.Amount, now));
        }

        WalletPlan Refuse(WalletOutcome outcome) => new(outcome, [], state, null, null);

        switch (operation.Type)
        {
            case WalletOperationType.Credit:
                Add(operation.Kind, operation.Amount, 0, operation.IdempotencyKey);
                if (operation.Kind == LedgerEntryKind.TopUp && state.ShortfallForReference > 0)
                {
                    // A refund of this same payment was applied before its credit (Stripe does not order events) and found
                    // less than it asked for: what it could not take back is taken now, from the credit that just landed,
                    // so the net effect is the same in either order. Requested 0 marks the recovery (it asks for nothing new
                    // of the payment's cumulative refund; its amount cancels the recorded shortfall).
                    var recovered = Math.Min(state.ShortfallForReference, balance.Available);
                    if (recovered > 0)
                    {
                        Add(LedgerEntryKind.Refund, -recovered, 0, RecoveryKey(operation.IdempotencyKey), requested: 0);
                    }
                }

                break;
            case WalletOperationType.Debit:
                if (operation.Amount > balance.Available)
                {
                    return Refuse(WalletOutcome.InsufficientFunds);
                }

                Add(operation.Kind, -operation.Amount, 0, operation.IdempotencyKey);
                break;
            case WalletOperationType.DebitUpTo:
                // The amount is the payment's cumulative refund (Stripe's amount_refunded); what earlier refunds of the same
                // payment asked for is subtracted, so repeated, partial and out-of-order refund events add up to it once.
                var increment = operation.Amount - state.RefundedForReference;
                if (increment <= 0)
                {
                    return Refuse(WalletOutcome.Superseded);
                }

                // Never below what is held (open holds are promises to campaigns) nor below zero.
                Add(operation.Kind, -Math.Min(increment, Math.Max(0, balance.Available)), 0, operation.IdempotencyKey, increment);
                break;
            case WalletOperationType.Hold:
                if (operation.Amount > balance.Available)
                {
                    return Refuse(WalletOutcome.InsufficientFunds);
                }

                Add(LedgerEntryKind.Hold, 0, operation.Amount, operation.IdempotencyKey);
                opened = operation.HoldKey;
                holds = new Dictionary<string, long>(holds, StringComparer.Ordinal) { [operation.HoldKey!] = operation.Amount };
                break;
            case WalletOperationType.Settle:
                if (!state.OpenHolds.TryGetValue(operation.HoldKey!, out var held))
                {
                    return Refuse(WalletOutcome.HoldNotFound);
                }

                if (operation.Amount > held)
                {
                    return Refuse(WalletOutcome.ExceedsHold);
                }

                if (operation.Amount > 0)
                {
                    Add(LedgerEntryKind.Charge, -operation.Amount, -operation.Amount, operation.IdempotencyKey);
                }

                if (held - operation.Amount > 0 || operation.Amount == 0)
                {
                    // A release alone (nothing charged) carries the settlement's own key, so every settlement has an entry under it.
                    Add(LedgerEntryKind.Release, 0, -(held - operation.Amount), operation.Amount > 0 ? WalletOperation.ReleaseKey(operation.HoldKey!) : operation.IdempotencyKey);
                }

                closed = operation.HoldKey;
                var remaining = new Dictionary<string, long>(holds, StringComparer.Ordinal);
                remaining.Remove(operation.HoldKey!);
                holds = remaining;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(operation));
        }

        if (balance.Held < 0 || balance.Held > balance.Balance || balance.Balance < 0)
        {
            // Unreachable by the rules above; a guard so that a bug can never be stored.
            throw new InvalidOperationException($"Wallet invariant broken: balance {balance.Balance}, held {balance.Held}.");
        }

        return new WalletPlan(WalletOutcome.Applied, entries, new WalletState(balance, seq, holds), opened, closed);
    }
}
