using System.Text.RegularExpressions;
using Shared.Infrastructure.Cosmos;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

public sealed partial class InfraTests
{
    [Fact]
    public void The_bicep_containers_are_the_ones_the_code_uses_with_the_same_partition_keys()
    {
        var bicep = File.ReadAllText(Path.Combine(RepositoryPaths.Root(), "infra", "modules", "cosmos.bicep"));

        var declared = ContainerLine().Matches(bicep)
            .Select(m => (Name: m.Groups["name"].Value, Paths: PathLiteral().Matches(m.Groups["paths"].Value).Select(p => p.Groups[1].Value).ToList()))
            .ToList();

        Assert.Equal(
            CosmosContainers.All.Select(c => $"{c.Name}:{string.Join(",", c.PartitionKeyPaths)}").Order(),
            declared.Select(d => $"{d.Name}:{string.Join(",", d.Paths)}").Order());
        Assert.All(declared, d => Assert.Equal("/tenantId", d.Paths[0]));
    }

    [Fact]
    public void The_service_bus_queues_are_the_ones_the_code_sends_to_with_the_same_max_deliveries()
    {
        var bicep = File.ReadAllText(Path.Combine(RepositoryPaths.Root(), "infra", "modules", "servicebus.bicep"));
        var block = bicep[bicep.IndexOf("var queues = [", StringComparison.Ordinal)..];
        block = block[..block.IndexOf(']', StringComparison.Ordinal)];

        Assert.Equal(Shared.Domain.Jobs.QueueNames.All.Order(), PathLiteral().Matches(block).Select(m => m.Groups[1].Value).Order());
        Assert.Contains($"param maxDeliveryCount int = {new Sqlite.JobQueueOptions().MaxDeliveries}", bicep, StringComparison.Ordinal);
        Assert.Contains("requiresDuplicateDetection: true", bicep, StringComparison.Ordinal);
        Assert.Contains("disableLocalAuth: true", bicep, StringComparison.Ordinal);
    }

    [Fact]
    public void The_main_template_runs_both_apps_as_keyless_custom_handlers_on_elastic_premium()
    {
        var root = Path.Combine(RepositoryPaths.Root(), "infra");
        var main = File.ReadAllText(Path.Combine(root, "main.bicep"));
        var app = File.ReadAllText(Path.Combine(root, "modules", "functionapp.bicep"));

        Assert.Contains("FUNCTIONS_WORKER_RUNTIME: 'Custom'", app, StringComparison.Ordinal);
        Assert.Contains("AzureWebJobsStorage__credential: 'managedidentity'", app, StringComparison.Ordinal);
        Assert.Contains("UserAssigned", app, StringComparison.Ordinal);
        Assert.Contains("tier: 'ElasticPremium'", main, StringComparison.Ordinal);
        Assert.Contains("allowSharedKeyAccess: false", main, StringComparison.Ordinal);
        Assert.Contains("ServiceBusConnection__fullyQualifiedNamespace", main, StringComparison.Ordinal); // what the workers' function.json "connection" names
        Assert.Contains("enableRbacAuthorization: true", File.ReadAllText(Path.Combine(root, "modules", "keyvault.bicep")), StringComparison.Ordinal);
        foreach (var provider in new[] { "Store__Provider: 'Cosmos'", "Secrets__Provider: 'KeyVault'", "Payments__Provider: 'Stripe'", "Ai__Provider: 'OpenAI'" })
        {
            Assert.Contains(provider, main, StringComparison.Ordinal); // never a local default in Azure
        }
    }

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>[^']+)'\s*,\s*paths:\s*\[(?<paths>[^\]]*)\]\s*\}")]
    private static partial Regex ContainerLine();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex PathLiteral();
}
