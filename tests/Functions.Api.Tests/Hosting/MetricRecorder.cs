using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Shared.Infrastructure.Diagnostics;

namespace Functions.Api.Tests;

public sealed record RecordedMeasurement(long Value, IReadOnlyDictionary<string, string?> Tags);

/// <summary>Records one counter of the backend's meter while it lives (every app in the test process reports to it).</summary>
public sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<RecordedMeasurement> _measurements = new();

    public MetricRecorder(string instrument)
    {
        _listener.InstrumentPublished = (candidate, listener) =>
        {
            if (candidate.Meter.Name == BackendMetrics.MeterName && candidate.Name == instrument)
            {
                listener.EnableMeasurementEvents(candidate);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, string?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value?.ToString();
            }

            _measurements.Enqueue(new RecordedMeasurement(value, copy));
        });
        _listener.Start();
    }

    public IReadOnlyCollection<RecordedMeasurement> Measurements => _measurements;

    public void Dispose() => _listener.Dispose();
}
