namespace Shared.Domain.Features;

/// <summary>The use a request holds: consumed under the request's key, then kept (committed) or given back (released).</summary>
public enum ReservationState
{
    /// <summary>Stored, the use not yet taken (the API is between storing and reserving, or crashed there).</summary>
    Reserving,

    /// <summary>One use is taken under <see cref="FeatureRequest.ReservationKey"/>; the job has not finished.</summary>
    Held,

    /// <summary>The job succeeded; the use stays consumed.</summary>
    Committed,

    /// <summary>The job failed for good; the use was given back.</summary>
    Released,
}
