namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// A run's claim on a tenant's privacy budget for one day, written to the ledger before any noise is drawn (so two
/// concurrent runs cannot both pass the monthly check). <see cref="RunId"/> names the run that holds it: only that run
/// may give it back (<see cref="BudgetReservations"/>). Once the day's release is stored, the reservation stays as the
/// day's ledger entry.
/// </summary>
public sealed record BudgetReservation(Common.TenantId TenantId, DateOnly Day, PrivacySpend Spend, string RunId, DateTimeOffset ReservedAt);
