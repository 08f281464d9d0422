using System.Collections.Concurrent;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestSupport;
using Xunit;

namespace Functions.Api.Tests;

/// <summary>OpenTelemetry through the console exporter: spans carry the tenant and correlation id; metrics are exported.</summary>
public sealed class TelemetryTests
{
    [Fact]
    public async Task A_request_is_exported_as_a_span_with_tenant_and_correlation_id_and_identify_counts_as_a_metric()
    {
        var lines = new ConcurrentQueue<string>();
        var factory = new ApiFactory(StoreKind.Sqlite, new Dictionary<string, string?>
        {
            ["Telemetry:Exporter"] = "Console",
            ["Telemetry:MetricExportIntervalSeconds"] = "1",
        }).WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(new CapturingProvider(lines))));
        using (var client = factory.CreateClient())
        {
            client.DefaultRequestHeaders.Add("X-Tenant-ID", TestTenants.Alpha);
            client.DefaultRequestHeaders.Add("X-Correlation-ID", "corr-telemetry-1");
            using var response = await client.PostAsJsonAsync("/api/v1/users/identify", new { extension_id = ApiCalls.NewExtensionId() });
            Assert.True(response.IsSuccessStatusCode);
        }

        await factory.DisposeAsync(); // stopping flushes both providers

        Assert.Contains(lines, l => l.StartsWith("span ", StringComparison.Ordinal) && l.Contains("tenant.id=alpha", StringComparison.Ordinal) && l.Contains("correlation.id=corr-telemetry-1", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("metric identify.outcomes", StringComparison.Ordinal) && l.Contains("tenant=alpha", StringComparison.Ordinal) && l.Contains("outcome=allowed", StringComparison.Ordinal));
    }

    private sealed class CapturingProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => categoryName == "Telemetry" ? new Capture(lines) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        public void Dispose()
        {
        }

        private sealed class Capture(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) => lines.Enqueue(formatter(state, exception));
        }
    }
}
