using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>The infra test classes share one evaluation of infra/ (a few seconds of Bicep CLI runs).</summary>
[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraSnapshots>
{
    public const string Name = "infra";
}
