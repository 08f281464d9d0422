using Shared.Domain.Common;

namespace Shared.Domain.DataSharing.Privacy;

/// <summary>
/// The budget rule both stores apply inside their atomic write (SQLite: the single writer's transaction; Cosmos DB: the
/// month's budget document replaced on its ETag), so that the check and the reservation are one step. The month's
/// ledger is every released day's spend plus every reserved day's (a day counts once, whether reserved, released or
/// both; releases made before reservations existed have no reservation and count by their release record).
/// </summary>
public static class BudgetReservations
{
    public const string InProgressCode = "release_in_progress";

    /// <summary>
    /// How long a reservation whose run neither stored its release nor gave it back (a crashed process) blocks its day;
    /// after that a new run of the day takes it over. A run still alive past it may then lose its day to the new run:
    /// the release record is unique per day, so only one of them stores and exports a release.
    /// </summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(30);

    /// <summary>Decides <paramref name="wanted"/> against the month's reservations and released days.</summary>
    public static Result<BudgetReservationGrant> Decide(
        BudgetReservation wanted,
        IEnumerable<BudgetReservation> reservations,
        IEnumerable<PrivacyLedgerEntry> released,
        PrivacySpend monthlyBudget)
    {
        ArgumentNullException.ThrowIfNull(wanted);
        var releasedByDay = released.ToDictionary(e => e.Day);
        if (releasedByDay.ContainsKey(wanted.Day))
        {
            return new Error(ErrorKind.Conflict, PrivacyLedger.ReleaseExistsCode, $"The release of {wanted.Day:yyyy-MM-dd} was already made; it is not made again.");
        }

        var reservedByDay = reservations.ToDictionary(r => r.Day);
        var outcome = BudgetReservationOutcome.Insert;
        if (reservedByDay.TryGetValue(wanted.Day, out var current))
        {
            if (current.RunId == wanted.RunId)
            {
                outcome = BudgetReservationOutcome.Held;
            }
            else if (current.ReservedAt > wanted.ReservedAt - Lease)
            {
                return new Error(ErrorKind.Conflict, InProgressCode, $"A release of {wanted.Day:yyyy-MM-dd} is being made by another run; try again once it is done.");
            }
            else
            {
                outcome = BudgetReservationOutcome.TakeOver;
            }
        }

        var entries = releasedByDay.Values
            .Concat(reservedByDay.Values.Where(r => !releasedByDay.ContainsKey(r.Day)).Select(r => new PrivacyLedgerEntry(PrivacyLedgerEntry.ReleaseIdFor(r.TenantId, r.Day), r.Day, r.Spend)))
            .Where(e => e.Day != wanted.Day);
        var ledger = new PrivacyLedger(wanted.TenantId, entries);
        var planned = ledger.Plan(wanted.Day, wanted.Spend, monthlyBudget);
        if (!planned.IsSuccess)
        {
            return planned.Error!;
        }

        return new BudgetReservationGrant(outcome, ledger);
    }
}
