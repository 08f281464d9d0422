namespace Shared.Infrastructure.Diagnostics;

/// <summary>The <c>Telemetry</c> configuration section (see <see cref="Telemetry.AddBackendTelemetry"/>).</summary>
public sealed class TelemetryOptions
{
    /// <summary>
    /// Where telemetry goes, comma-separated: <c>AzureMonitor</c> (Application Insights, through the app's managed
    /// identity), <c>Otlp</c> (an OpenTelemetry collector), <c>Console</c> (standard output), or <c>None</c>. Unset: Azure
    /// Monitor in Production, the console elsewhere, plus OTLP wherever an OTLP endpoint is configured.
    /// </summary>
    public string? Exporter { get; set; }

    /// <summary>OTLP endpoint (e.g. http://collector:4317); empty uses OTEL_EXPORTER_OTLP_ENDPOINT or the SDK default.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>How often the console and OTLP exporters send metrics (Azure Monitor's exporter keeps its own minute).</summary>
    public int MetricExportIntervalSeconds { get; set; } = 60;
}
