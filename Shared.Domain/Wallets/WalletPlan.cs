namespace Shared.Domain.Wallets;

/// <summary>
/// What an operation writes, decided by <see cref="WalletLedger.Plan"/>: the entries, the wallet's position after them,
/// and the hold opened (<see cref="OpenedHold"/>) or closed (<see cref="ClosedHold"/>); or a refusal.
/// </summary>
public sealed record WalletPlan(WalletOutcome Outcome, IReadOnlyList<LedgerEntry> Entries, WalletState After, string? OpenedHold, string? ClosedHold);
