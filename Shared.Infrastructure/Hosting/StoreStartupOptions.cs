namespace Shared.Infrastructure.Hosting;

/// <summary>
/// <c>Store:Startup</c>: how the store is checked at start-up. The check runs beside the web server, so a store that is
/// missing containers or unreachable never keeps the server from listening (the Functions host gives a custom handler a
/// bounded time to answer) and never crashes the process; it is retried with a doubling delay until it succeeds.
/// </summary>
public sealed class StoreStartupOptions
{
    /// <summary>How long start-up waits for the first check before the server listens anyway (0: not at all).</summary>
    public TimeSpan WaitBeforeListening { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Delay after the first failed check; it doubles after each further failure.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two checks.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    public StoreStartupOptions Validate()
    {
        if (WaitBeforeListening < TimeSpan.Zero || WaitBeforeListening > TimeSpan.FromSeconds(30))
        {
            // The Functions host waits a bounded time for a custom handler to answer (30 s by default).
            throw new InvalidOperationException("Store:Startup:WaitBeforeListening must be between 0 and 30 seconds.");
        }

        if (FirstRetryDelay <= TimeSpan.Zero || MaxRetryDelay < FirstRetryDelay)
        {
            throw new InvalidOperationException("Store:Startup:FirstRetryDelay must be positive and at most Store:Startup:MaxRetryDelay.");
        }

        return this;
    }

    /// <summary>The delay after <paramref name="current"/>: doubled, capped at <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan NextDelay(TimeSpan current) => current >= MaxRetryDelay / 2 ? MaxRetryDelay : current * 2;
}
