namespace Shared.Infrastructure.Hosting;

/// <summary>The resilience settings of one outbound REST client (see <see cref="OutboundHttpResilience"/>).</summary>
public sealed class OutboundHttpOptions
{
    /// <summary>Retries after the first attempt (0: none).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff delay; it doubles per retry, with jitter.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Each attempt is cancelled after this (by the injected clock).</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A 429/503 whose Retry-After asks for longer than this is not retried here: the answer goes straight back to the
    /// caller (the AI worker then schedules its next round for that time instead of holding a worker).
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The circuit opens when at least this share of the calls in <see cref="BreakSamplingDuration"/> failed transiently…</summary>
    public double BreakFailureRatio { get; set; } = 0.5;

    /// <summary>…and at least this many calls were made in it…</summary>
    public int BreakMinimumThroughput { get; set; } = 20;

    public TimeSpan BreakSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>…and stays open this long (calls fail at once), then lets one call probe.</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Throws naming <paramref name="section"/> when a bound value is out of range (checked at start, not at the first call).</summary>
    public void Validate(string section)
    {
        if (MaxRetries is < 0 or > 10)
        {
            throw new InvalidOperationException($"{section}:MaxRetries must be between 0 and 10.");
        }

        if (FirstRetryDelay <= TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero || AttemptTimeout <= TimeSpan.Zero)
        {
            throw new InvalidOperationException($"{section}: FirstRetryDelay and AttemptTimeout must be positive, MaxRetryAfter not negative.");
        }

        // Polly's own bounds for the circuit breaker, which it would otherwise report only when the first call builds the pipeline.
        if (BreakFailureRatio is <= 0 or > 1 || BreakMinimumThroughput < 2 || !Within(BreakSamplingDuration) || !Within(BreakDuration))
        {
            throw new InvalidOperationException($"{section}: BreakFailureRatio must be in (0, 1], BreakMinimumThroughput at least 2, BreakSamplingDuration and BreakDuration between 00:00:00.5 and 1.00:00:00.");
        }

        static bool Within(TimeSpan value) => value >= TimeSpan.FromMilliseconds(500) && value <= TimeSpan.FromDays(1);
    }
}
