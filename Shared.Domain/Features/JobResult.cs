namespace Shared.Domain.Features;

/// <summary>What one delivery did; <see cref="Cause"/> is the failure behind a retry or a final failure, <see cref="NextAttemptAt"/> when the scheduled message is due.</summary>
public sealed record JobResult(JobOutcome Outcome, Exception? Cause = null, DateTimeOffset? NextAttemptAt = null)
{
    /// <summary>The message is done with (answer 2xx, the host completes it); false: answer non-2xx so it is delivered again.</summary>
    public bool Succeeded => Outcome != JobOutcome.Retry;
}
