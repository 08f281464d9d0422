namespace Shared.Domain.Quotas;

public enum ReserveKind
{
    /// <summary>One use was taken now and is held under the key.</summary>
    Reserved,

    /// <summary>The key holds a use of this period already (a repeated reservation); nothing more was taken.</summary>
    Replayed,

    /// <summary>Nothing is left in this period; nothing was taken.</summary>
    QuotaExceeded,

    /// <summary>The user holds <see cref="InFlightLimit.MaxPerUser"/> reservations already; nothing was taken.</summary>
    TooManyPending,
}
