using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Shared.Infrastructure.Diagnostics;

public sealed class TelemetryOptions
{
    /// <summary>"Console" (spans and metrics as log lines; the default outside Production), "Otlp" (an OpenTelemetry collector) or "None".</summary>
    public string Exporter { get; set; } = "Console";

    /// <summary>OTLP endpoint (e.g. http://collector:4317); empty uses OTEL_EXPORTER_OTLP_ENDPOINT or the SDK default.</summary>
    public string? OtlpEndpoint { get; set; }

    public int MetricExportIntervalSeconds { get; set; } = 60;
}

/// <summary>
/// OpenTelemetry traces and metrics, wired with the SDK itself (the hosting-integration package is not available
/// here): spans from ASP.NET Core, HttpClient and this backend's own source; metrics from the backend's meter,
/// ASP.NET Core and HttpClient. Providers are built when the host starts and flushed when it stops.
/// </summary>
public static class Telemetry
{
    public const string SourceName = "Serverless.Backend";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Puts the tenant (and whatever else) on the current span, so traces can be filtered per tenant.</summary>
    public static void Tag(string key, object? value) => Activity.Current?.SetTag(key, value);

    private static readonly string[] Sources = ["Microsoft.AspNetCore", "System.Net.Http", SourceName];
    private static readonly string[] Meters = [BackendMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http"];

    /// <summary>Console by default outside Production; in Production nothing unless Telemetry:Exporter says so (Otlp).</summary>
    public static IServiceCollection AddBackendTelemetry(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, string serviceName)
    {
        var options = configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (configuration["Telemetry:Exporter"] is null && environment.IsProduction())
        {
            options.Exporter = "None";
        }

        if (options.Exporter is not ("Console" or "Otlp" or "None"))
        {
            throw new InvalidOperationException($"Telemetry:Exporter must be \"Console\", \"Otlp\" or \"None\" (was \"{options.Exporter}\").");
        }

        if (options.Exporter != "None")
        {
            services.AddSingleton(options);
            services.AddHostedService(sp => new TelemetryHost(options, serviceName, sp.GetRequiredService<ILoggerFactory>()));
        }

        return services;
    }

    private sealed class TelemetryHost(TelemetryOptions options, string serviceName, ILoggerFactory logs) : IHostedService, IDisposable
    {
        private TracerProvider? _tracer;
        private MeterProvider? _meter;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            var resource = ResourceBuilder.CreateDefault().AddService(serviceName);
            var traces = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Sources);
            var metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters);
            var interval = (int)TimeSpan.FromSeconds(Math.Max(1, options.MetricExportIntervalSeconds)).TotalMilliseconds;
            if (options.Exporter == "Otlp")
            {
                traces.AddOtlpExporter(o => Endpoint(o));
                metrics.AddOtlpExporter((o, reader) =>
                {
                    Endpoint(o);
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = interval;
                });
            }
            else
            {
                var logger = logs.CreateLogger("Telemetry");
#pragma warning disable CA2000 // the providers own their processors and readers
                traces.AddProcessor(new SimpleActivityExportProcessor(new LogSpanExporter(logger)));
                metrics.AddReader(new PeriodicExportingMetricReader(new LogMetricExporter(logger), interval));
#pragma warning restore CA2000
            }

            _tracer = traces.Build();
            _meter = metrics.Build();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            _tracer?.ForceFlush(5000);
            _meter?.ForceFlush(5000);
            return Task.CompletedTask;
        }

        public void Dispose()
        {
            _tracer?.Dispose();
            _meter?.Dispose();
        }

        private void Endpoint(OpenTelemetry.Exporter.OtlpExporterOptions o)
        {
            if (!string.IsNullOrEmpty(options.OtlpEndpoint))
            {
                o.Endpoint = new Uri(options.OtlpEndpoint);
            }
        }
    }
}

/// <summary>The console exporter: one log line per finished span (name, duration, status, tags).</summary>
public sealed class LogSpanExporter(ILogger logger) : BaseExporter<Activity>
{
    public override ExportResult Export(in Batch<Activity> batch)
    {
        foreach (var span in batch)
        {
            logger.LogInformation("span {Name} {DurationMs} ms {Status} trace={TraceId} {Tags}", span.DisplayName, span.Duration.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture), span.Status, span.TraceId, Describe(span.TagObjects));
        }

        return ExportResult.Success;
    }

    public static string Describe(IEnumerable<KeyValuePair<string, object?>> tags)
    {
        var text = new StringBuilder();
        foreach (var (key, value) in tags)
        {
            text.Append(key).Append('=').Append(value).Append(' ');
        }

        return text.ToString().TrimEnd();
    }
}

/// <summary>The console exporter for metrics: one log line per metric point at each export.</summary>
public sealed class LogMetricExporter(ILogger logger) : BaseExporter<Metric>
{
    public override ExportResult Export(in Batch<Metric> batch)
    {
        foreach (var metric in batch)
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var tags = new List<KeyValuePair<string, object?>>();
                foreach (var tag in point.Tags)
                {
                    tags.Add(tag);
                }

                var value = metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong().ToString(CultureInfo.InvariantCulture),
                    MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble().ToString("G6", CultureInfo.InvariantCulture),
                    MetricType.LongGauge => point.GetGaugeLastValueLong().ToString(CultureInfo.InvariantCulture),
                    MetricType.DoubleGauge => point.GetGaugeLastValueDouble().ToString("G6", CultureInfo.InvariantCulture),
                    MetricType.Histogram => $"count={point.GetHistogramCount()} sum={point.GetHistogramSum().ToString("G6", CultureInfo.InvariantCulture)}",
                    _ => metric.MetricType.ToString(),
                };
                logger.LogInformation("metric {Name} {Value} {Tags}", metric.Name, value, LogSpanExporter.Describe(tags));
            }
        }

        return ExportResult.Success;
    }
}
