namespace Shared.Infrastructure.Notifications;

/// <summary>Retries and timeouts of one notification provider's HTTP client (see <see cref="NotificationHttpResilience"/>).</summary>
public sealed class NotificationHttpOptions
{
    /// <summary>Retries after the first attempt of one message (bounded: a batch waits on them).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff when the provider gave no Retry-After; it doubles per retry, with jitter.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A Retry-After longer than this is not waited for here: the message is deferred at once with it.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Each attempt is cancelled after this (by the injected clock) and counts as a transient failure.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(15);

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
    }
}
