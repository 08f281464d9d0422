using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Diagnostics;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>Which exporters the configuration chooses, by default and when named.</summary>
public sealed class TelemetryConfigurationTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static IReadOnlySet<string> Chosen(string environment, params (string Key, string Value)[] values)
    {
        var configuration = Config(values);
        return Telemetry.Exporters(configuration.GetSection("Telemetry").Get<TelemetryOptions>() ?? new TelemetryOptions(), configuration, new TestHostEnvironment(environment));
    }

    [Fact]
    public void Azure_Monitor_is_the_default_in_Production_and_the_console_elsewhere_with_OTLP_added_where_an_endpoint_is_configured()
    {
        Assert.Equal(["AzureMonitor"], Chosen("Production"));
        Assert.Equal(["Console"], Chosen("Development"));
        Assert.Equal(["AzureMonitor", "Otlp"], Chosen("Production", ("Telemetry:OtlpEndpoint", "http://collector:4317")).Order());
        Assert.Equal(["Console", "Otlp"], Chosen("Development", ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4317")).Order());
    }

    [Fact]
    public void Named_exporters_replace_the_defaults()
    {
        Assert.Equal(["Console", "Otlp"], Chosen("Production", ("Telemetry:Exporter", "Otlp, Console")).Order());
        Assert.Empty(Chosen("Production", ("Telemetry:Exporter", "None")));
        Assert.Equal(["AzureMonitor"], Chosen("Development", ("Telemetry:Exporter", "AzureMonitor")));
    }

    [Theory]
    [InlineData("Jaeger")]
    [InlineData("Console,None")]
    [InlineData("console")]
    public void An_unknown_or_contradictory_exporter_stops_startup(string exporter)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Chosen("Development", ("Telemetry:Exporter", exporter)));

        Assert.Contains("Telemetry:Exporter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Azure_Monitor_without_a_connection_string_stops_startup_and_None_needs_none()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddBackendTelemetry(Config(), new TestHostEnvironment("Production"), "test"));
        var off = new ServiceCollection().AddBackendTelemetry(Config(("Telemetry:Exporter", "None")), new TestHostEnvironment("Production"), "test");

        Assert.Contains("APPLICATIONINSIGHTS_CONNECTION_STRING", error.Message, StringComparison.Ordinal);
        Assert.Empty(off);
    }
}
