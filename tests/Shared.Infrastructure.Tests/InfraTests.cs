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

    [GeneratedRegex(@"\{\s*name:\s*'(?<name>[^']+)'\s*,\s*paths:\s*\[(?<paths>[^\]]*)\]\s*\}")]
    private static partial Regex ContainerLine();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex PathLiteral();
}
