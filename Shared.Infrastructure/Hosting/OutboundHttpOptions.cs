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
}
