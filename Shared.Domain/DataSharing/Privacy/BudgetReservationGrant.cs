namespace Shared.Domain.DataSharing.Privacy;

/// <summary>A granted reservation: what the store writes, and the ledger as it was without the day (the release plans on it).</summary>
public sealed record BudgetReservationGrant(BudgetReservationOutcome Outcome, PrivacyLedger LedgerBefore);
