namespace Shared.Domain.Quotas;

/// <summary>How many reservations one user may hold at once, and how long a reservation counts as held at most (the reservation TTL).</summary>
public readonly record struct InFlightLimit
{
    public InFlightLimit(int maxPerUser, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerUser);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        MaxPerUser = maxPerUser;
        Window = window;
    }

    public int MaxPerUser { get; }

    public TimeSpan Window { get; }
}
