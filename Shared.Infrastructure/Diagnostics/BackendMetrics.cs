using System.Diagnostics.Metrics;

namespace Shared.Infrastructure.Diagnostics;

/// <summary>
/// The backend's own instruments (System.Diagnostics.Metrics, which OpenTelemetry and dotnet-counters read): identify
/// outcomes, Stripe webhook events, job durations, rescheduled jobs and dead-letters, tagged by tenant.
/// </summary>
public sealed class BackendMetrics : IDisposable
{
    public const string MeterName = "Serverless.Backend";

    private readonly Meter _meter;
    private readonly Counter<long> _identify;
    private readonly Counter<long> _webhooks;
    private readonly Histogram<double> _jobDuration;
    private readonly Counter<long> _deadLetters;
    private readonly Counter<long> _rescheduled;
    private readonly Counter<long> _billingAnomalies;

    public BackendMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _identify = _meter.CreateCounter<long>("identify.outcomes", description: "Identify calls by outcome (allowed, denied, replayed).");
        _webhooks = _meter.CreateCounter<long>("webhook.events", description: "Stripe webhook deliveries by event type and result.");
        _jobDuration = _meter.CreateHistogram<double>("job.duration", unit: "ms", description: "Job deliveries by function and outcome, with their duration.");
        _deadLetters = _meter.CreateCounter<long>("job.dead_letters", description: "Jobs that failed on their last delivery and go to the dead-letter queue.");
        _billingAnomalies = _meter.CreateCounter<long>("billing.anomalies", description: "Billing anomalies recorded for admins, by reason (second_active_subscription: a user billed for two subscriptions).");
        _rescheduled = _meter.CreateCounter<long>("job.rescheduled", description: "Jobs scheduled again for later by reason (provider: transient AI failure; rate_limit: our own per-tenant AI limit; store: store unreachable).");
    }

    public void Job(string function, string tenant, string outcome, TimeSpan duration) =>
        _jobDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("function", function), new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("outcome", outcome));

    public void DeadLetter(string function, string tenant) =>
        _deadLetters.Add(1, new KeyValuePair<string, object?>("function", function), new KeyValuePair<string, object?>("tenant", tenant));

    public void Rescheduled(string function, string tenant, string reason) =>
        _rescheduled.Add(1, new KeyValuePair<string, object?>("function", function), new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("reason", reason));

    public void Identify(string tenant, string outcome) =>
        _identify.Add(1, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("outcome", outcome));

    public void Webhook(string tenant, string type, string result) =>
        _webhooks.Add(1, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("type", type), new KeyValuePair<string, object?>("result", result));

    public void BillingAnomaly(string tenant, string reason) =>
        _billingAnomalies.Add(1, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("reason", reason));

    public void Dispose() => _meter.Dispose();
}
