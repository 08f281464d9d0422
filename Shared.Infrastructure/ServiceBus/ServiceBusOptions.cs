using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.ServiceBus;

public sealed class ServiceBusOptions
{
    /// <summary>The namespace host, e.g. mybus.servicebus.windows.net (the same value the Functions host's connection uses).</summary>
    public string FullyQualifiedNamespace { get; set; } = "";

    public int MaxRetries { get; set; } = 3;

    public int RetryDelayMilliseconds { get; set; } = 200;

    /// <summary>Per attempt (the resilience handler's timeout, on the injected clock).</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>The sender's resilience handler settings (see <see cref="OutboundHttpResilience"/>).</summary>
    public OutboundHttpOptions Resilience() => new()
    {
        MaxRetries = MaxRetries,
        FirstRetryDelay = TimeSpan.FromMilliseconds(RetryDelayMilliseconds),
        AttemptTimeout = TimeSpan.FromSeconds(TimeoutSeconds),
    };
}
