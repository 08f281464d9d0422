namespace Shared.Domain.DataSharing.Privacy;

/// <summary>What a store must write for a granted reservation.</summary>
public enum BudgetReservationOutcome
{
    /// <summary>No reservation of the day exists: add it.</summary>
    Insert,

    /// <summary>A stale reservation of the day (its run never finished nor gave it back) is taken over: replace it.</summary>
    TakeOver,

    /// <summary>This run already holds it (a store retrying its conditional write): nothing to write.</summary>
    Held,
}
