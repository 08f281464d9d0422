using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Tenants;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

public class ConfigurationTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Where(v => v.Value is not null).Select(v => KeyValuePair.Create(v.Key, v.Value))).Build();

    private static TestHostEnvironment Production => new("Production");

    [Theory]
    [InlineData("Sqlite", "Configuration")]
    [InlineData("Cosmos", "Configuration")]
    public void Production_refuses_the_embedded_store_and_local_secrets(string store, string secrets)
    {
        var config = Config(("Store:Provider", store), ("Secrets:Provider", secrets), ("Cosmos:Endpoint", "https://x.documents.azure.com/"));

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddBackend(config, Production));
        Assert.Contains("refused in the Production environment", error.Message, StringComparison.Ordinal);
    }

    private static readonly (string, string?)[] AzureSettings =
    [
        ("Store:Provider", "Cosmos"),
        ("Secrets:Provider", "KeyVault"),
        ("KeyVault:Uri", "https://v.vault.azure.net/"),
        ("Cosmos:Endpoint", "https://x.documents.azure.com/"),
        ("ServiceBus:FullyQualifiedNamespace", "bus.servicebus.windows.net"),
        ("Ai:Provider", "OpenAI"),
    ];

    [Fact]
    public void Production_accepts_cosmos_key_vault_service_bus_and_an_ai_api()
    {
        var provider = new ServiceCollection().AddLogging().AddBackend(Config(AzureSettings), Production).BuildServiceProvider();

        Assert.IsType<ServiceBus.ServiceBusRestQueue>(provider.GetRequiredService<Shared.Domain.Jobs.IJobQueue>());
        Assert.Null(provider.GetService<Shared.Domain.Jobs.IJobReceiver>());
    }

    [Theory]
    [InlineData("Ai:Provider", "Offline", "offline AI provider")]
    [InlineData("Queue:Provider", "Embedded", "embedded SQLite queue")]
    [InlineData("ServiceBus:FullyQualifiedNamespace", null, "embedded SQLite queue")]
    [InlineData("Payments:Provider", "Sandbox", "payment sandbox")]
    public void Production_refuses_each_local_default_on_its_own(string key, string? value, string named)
    {
        var settings = AzureSettings.Where(s => s.Item1 != key).Append((key, value)).ToArray();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddBackend(Config(settings), Production));

        Assert.Contains("refused in the Production environment", error.Message, StringComparison.Ordinal);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jobs_go_to_service_bus_when_a_namespace_is_configured_and_to_the_embedded_queue_otherwise()
    {
        var embedded = new ServiceCollection().AddLogging().AddBackend(Config(("Store:Provider", "Sqlite"), ("Sqlite:Path", Path.Combine(Path.GetTempPath(), $"cfg-{Guid.NewGuid():N}.db"))), new TestHostEnvironment("Development")).BuildServiceProvider();
        var bus = new ServiceCollection().AddLogging().AddBackend(Config(("Store:Provider", "Sqlite"), ("Sqlite:Path", Path.Combine(Path.GetTempPath(), $"cfg-{Guid.NewGuid():N}.db")), ("ServiceBus:FullyQualifiedNamespace", "bus.servicebus.windows.net")), new TestHostEnvironment("Development")).BuildServiceProvider();

        Assert.IsType<Infrastructure.Jobs.SqliteJobQueue>(embedded.GetRequiredService<Shared.Domain.Jobs.IJobQueue>());
        Assert.IsType<ServiceBus.ServiceBusRestQueue>(bus.GetRequiredService<Shared.Domain.Jobs.IJobQueue>());
    }

    [Fact]
    public void A_missing_or_unknown_store_provider_stops_startup()
    {
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddBackend(Config(), new TestHostEnvironment("Development")));
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddBackend(Config(("Store:Provider", "Postgres")), new TestHostEnvironment("Development")));
    }

    [Fact]
    public void The_emulator_certificate_bypass_is_refused_for_a_remote_endpoint()
    {
        var options = new Infrastructure.Cosmos.CosmosOptions { Endpoint = "https://x.documents.azure.com/", Key = CosmosTestSettings.Key, AcceptEmulatorCertificate = true };

        Assert.Throws<InvalidOperationException>(() => new Infrastructure.Cosmos.CosmosDatabase(options, new StoreOperationCounter(), []));
    }

    [Fact]
    public void The_tenants_file_is_read_with_its_plans()
    {
        var path = TestTenants.WriteFile();

        var tenants = TenantCatalog.Load(Config(("Tenants:File", path)), "/");

        Assert.Equal(["alpha", "beta", "gamma"], tenants.Select(t => t.Id.Value));
        var alpha = tenants[0];
        Assert.Equal("free", alpha.DefaultPlan.Id.Value);
        Assert.Equal(Allowance.PerDay(10), alpha.DefaultPlan.Allowance);
        Assert.True(alpha.Plans.Single(p => p.Id.Value == "unlimited").Allowance.IsUnlimited);
        Assert.Equal(999, alpha.Plans.Single(p => p.Id.Value == "pro").PriceMonthly.MinorUnits);
    }

    [Fact]
    public void A_tenants_file_with_a_bad_plan_stops_startup_with_a_clear_message()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, TestTenants.Json.Replace("\"reset_period\": \"day\"", "\"reset_period\": \"fortnight\"", StringComparison.Ordinal));

        var error = Assert.Throws<FormatException>(() => TenantCatalog.Load(Config(("Tenants:File", path)), "/"));
        Assert.Contains("fortnight", error.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => TenantCatalog.Load(Config(("Tenants:File", "/no/such/file.json")), "/"));
    }

    [Theory]
    [InlineData(null, null, 7071)]
    [InlineData("5005", null, 5005)]
    [InlineData("5005", "6006", 6006)]
    public void The_port_comes_from_the_functions_host_first(string? httpPort, string? hostPort, int expected)
    {
        var values = new List<(string, string)>();
        if (httpPort is not null)
        {
            values.Add(("Http:Port", httpPort));
        }

        if (hostPort is not null)
        {
            values.Add((CustomHandlerHosting.PortVariable, hostPort));
        }

        Assert.Equal(expected, CustomHandlerHosting.ListenPort(Config([.. values]), 7071));
    }

    [Fact]
    public void A_malformed_port_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => CustomHandlerHosting.ListenPort(Config((CustomHandlerHosting.PortVariable, "70000")), 7071));
}
