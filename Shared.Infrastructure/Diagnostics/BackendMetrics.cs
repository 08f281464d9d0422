using System.Diagnostics.Metrics;

namespace Shared.Infrastructure.Diagnostics;

/// <summary>
/// The backend's own instruments (System.Diagnostics.Metrics, which OpenTelemetry and dotnet-counters read): identify
/// outcomes and Stripe webhook events, tagged by tenant.
/// </summary>
public sealed class BackendMetrics : IDisposable
{
    public const string MeterName = "Serverless.Backend";

    private readonly Meter _meter;
    private readonly Counter<long> _identify;
    private readonly Counter<long> _webhooks;

    public BackendMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _identify = _meter.CreateCounter<long>("identify.outcomes", description: "Identify calls by outcome (allowed, denied, replayed).");
        _webhooks = _meter.CreateCounter<long>("webhook.events", description: "Stripe webhook deliveries by event type and result.");
    }

    public void Identify(string tenant, string outcome) =>
        _identify.Add(1, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("outcome", outcome));

    public void Webhook(string tenant, string type, string result) =>
        _webhooks.Add(1, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("result", result));

    public void Dispose() => _meter.Dispose();
}
