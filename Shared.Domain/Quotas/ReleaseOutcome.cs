namespace Shared.Domain.Quotas;

public enum ReleaseOutcome
{
    /// <summary>The use was given back now.</summary>
    Released,

    /// <summary>It was given back before; nothing changed (a repeated release).</summary>
    AlreadyReleased,

    /// <summary>The use belongs to a period that has ended; the counter has moved on, so there is nothing to give back.</summary>
    PeriodEnded,

    /// <summary>No use is remembered under that key (never consumed, or older than the key retention).</summary>
    Unknown,
}
