using System.Diagnostics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Shared.Infrastructure.Diagnostics;

/// <summary>
/// OpenTelemetry through its hosting packages: spans from ASP.NET Core, HttpClient and this backend's own source;
/// metrics from the backend's meter, ASP.NET Core and HttpClient; logs through the OpenTelemetry logging provider (with
/// their scopes: tenant and correlation ids) wherever an exporter takes logs. The exporters are the packages' own.
/// </summary>
public static class Telemetry
{
    public const string SourceName = "Serverless.Backend";

    public const string AzureMonitorExporter = "AzureMonitor";
    public const string OtlpExporter = "Otlp";
    public const string ConsoleExporter = "Console";
    public const string NoExporter = "None";

    /// <summary>Set by the Application Insights resource (infra/modules/functionapp.bicep); the exporter needs it.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The client id of the app's user-assigned managed identity (infra sets it; unset means system-assigned).</summary>
    public const string ClientIdSetting = "AZURE_CLIENT_ID";

    public static readonly ActivitySource Source = new(SourceName);

    // Microsoft.Extensions.AI's OpenTelemetry middleware (UseOpenTelemetry) reports under this name by default.
    private const string AiSourceName = "Experimental.Microsoft.Extensions.AI";

    /// <summary>Puts the tenant (and whatever else) on the current span, so traces can be filtered per tenant.</summary>
    public static void Tag(string key, object? value) => Activity.Current?.SetTag(key, value);

    public static IServiceCollection AddBackendTelemetry(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, string serviceName)
    {
        var options = configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions();
        var exporters = Exporters(options, configuration, environment);
        if (exporters.Count == 0)
        {
            return services;
        }

        var hostedBefore = services.Where(d => d.ServiceType == typeof(IHostedService)).ToHashSet();
        var intervalMs = (int)TimeSpan.FromSeconds(Math.Max(1, options.MetricExportIntervalSeconds)).TotalMilliseconds;
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(serviceName))
            .WithTracing(t => t.AddSource(SourceName, AiSourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation())
            .WithMetrics(m => m.AddMeter(BackendMetrics.MeterName, AiSourceName).AddAspNetCoreInstrumentation().AddHttpClientInstrumentation());

        // Log scopes carry the tenant and correlation ids; exported logs keep them as attributes (App Insights: customDimensions).
        services.Configure<OpenTelemetryLoggerOptions>(o =>
        {
            o.IncludeScopes = true;
            o.IncludeFormattedMessage = true;
        });

        if (exporters.Contains(ConsoleExporter))
        {
            // Spans and metrics only: the app's console logger already writes its logs there.
            telemetry
                .WithTracing(t => t.AddConsoleExporter())
                .WithMetrics(m => m.AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = intervalMs));
        }

        if (exporters.Contains(OtlpExporter))
        {
            var endpoint = string.IsNullOrWhiteSpace(options.OtlpEndpoint) ? null : new Uri(options.OtlpEndpoint);
            telemetry
                .WithTracing(t => t.AddOtlpExporter(o => o.Endpoint = endpoint ?? o.Endpoint))
                .WithMetrics(m => m.AddOtlpExporter((o, reader) =>
                {
                    o.Endpoint = endpoint ?? o.Endpoint;
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = intervalMs;
                }))
                .WithLogging(l => l.AddOtlpExporter(o => o.Endpoint = endpoint ?? o.Endpoint));
        }

        if (exporters.Contains(AzureMonitorExporter))
        {
            var connectionString = configuration[ConnectionStringSetting];
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException(
                    $"Telemetry:Exporter includes {AzureMonitorExporter} (the default in Production), which needs {ConnectionStringSetting} (infra sets it from the Application Insights resource). Set Telemetry:Exporter=None to run without telemetry.");
            }

            var clientId = configuration[ClientIdSetting];
            // Traces, metrics and logs, each with the package's own processor or reader; the resource's local
            // authentication is off (infra/modules/monitoring.bicep), so every export carries an Entra token of the
            // app's managed identity (role Monitoring Metrics Publisher).
            telemetry.UseAzureMonitorExporter(o =>
            {
                o.ConnectionString = connectionString;
                o.Credential = new ManagedIdentityCredential(string.IsNullOrWhiteSpace(clientId)
                    ? ManagedIdentityId.SystemAssigned
                    : ManagedIdentityId.FromUserAssignedClientId(clientId));
            });
        }

        // Telemetry's hosted services start before everything registered earlier: the providers are built and the Azure
        // Monitor exporter attaches its trace and log processors when they start, and the store check (AddBackend's)
        // logs from its own start onwards; started later, those first lines would reach no exporter.
        var ours = services.Where(d => d.ServiceType == typeof(IHostedService) && !hostedBefore.Contains(d)).ToList();
        foreach (var descriptor in ours)
        {
            services.Remove(descriptor);
        }

        for (var i = 0; i < ours.Count; i++)
        {
            services.Insert(i, ours[i]);
        }

        return services;
    }

    /// <summary>The exporters the configuration names, or the defaults for the environment.</summary>
    public static IReadOnlySet<string> Exporters(TelemetryOptions options, IConfiguration configuration, IHostEnvironment environment)
    {
        var chosen = new HashSet<string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(options.Exporter))
        {
            chosen.Add(environment.IsProduction() ? AzureMonitorExporter : ConsoleExporter);
            if (!string.IsNullOrWhiteSpace(options.OtlpEndpoint) || !string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            {
                chosen.Add(OtlpExporter);
            }

            return chosen;
        }

        foreach (var name in options.Exporter.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (name is not (AzureMonitorExporter or OtlpExporter or ConsoleExporter or NoExporter))
            {
                throw new InvalidOperationException(
                    $"Telemetry:Exporter names \"{name}\"; it takes {AzureMonitorExporter}, {OtlpExporter}, {ConsoleExporter} (comma-separated) or {NoExporter}.");
            }

            chosen.Add(name);
        }

        if (chosen.Contains(NoExporter) && chosen.Count > 1)
        {
            throw new InvalidOperationException($"Telemetry:Exporter cannot combine {NoExporter} with an exporter (was \"{options.Exporter}\").");
        }

        chosen.Remove(NoExporter);
        return chosen;
    }
}
