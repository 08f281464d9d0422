namespace Shared.Domain.Features;

/// <summary>What handling one delivery of a feature job came to (see <see cref="FeatureJobProcessor"/>).</summary>
public enum JobOutcome
{
    /// <summary>Generated and stored; the use is kept.</summary>
    Completed,

    /// <summary>The request was finished before (a repeated message): nothing done.</summary>
    AlreadyFinished,

    /// <summary>No such request (deleted, or a message for another store): nothing to do.</summary>
    NotFound,

    /// <summary>The request's use is not reserved yet (the API stopped half-way); the resend sweep finishes it and sends again.</summary>
    AwaitingReservation,

    /// <summary>
    /// Generation failed for good (a failure another attempt would repeat, the retry budget spent, or our own rate limit
    /// kept it waiting until its reservation would expire): the request failed and its use was given back.
    /// </summary>
    FailedFinally,

    /// <summary>A message of an older round (a duplicate of one already handled): nothing done.</summary>
    Superseded,

    /// <summary>A transient failure (provider throttled or down, store unreachable): the next attempt is scheduled as a new message.</summary>
    Rescheduled,

    /// <summary>Our own per-tenant AI rate limit said to wait: the same attempt is scheduled as a new message, the retry budget untouched.</summary>
    Deferred,

    /// <summary>
    /// Not handled (the request changed under it, or something unexpected): the message must be delivered again (a
    /// non-2xx answer), and the queue's delivery count guards against a message that always fails.
    /// </summary>
    Retry,
}
