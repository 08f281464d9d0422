namespace Shared.Infrastructure.Cosmos;

/// <summary>
/// Compares a container as Cosmos DB describes it with what the code declares (<see cref="CosmosContainers"/>). A
/// partition key cannot be changed on an existing container, and every point read and patch passes the full key, so a
/// container keyed differently would fail every request: it is reported, never used.
/// </summary>
public static class CosmosContainerCheck
{
    /// <summary>Null when the container matches; otherwise the problem, naming the container.</summary>
    /// <param name="actualPaths">The container's partition key paths; null when the container does not exist.</param>
    public static string? Compare(ContainerSpec spec, IReadOnlyList<string>? actualPaths)
    {
        if (actualPaths is null)
        {
            return $"container '{spec.Name}' is missing (expected partition key {Format(spec.PartitionKeyPaths)})";
        }

        // Paths are compared exactly: Cosmos DB paths are case-sensitive and their order defines a hierarchical key.
        return actualPaths.SequenceEqual(spec.PartitionKeyPaths, StringComparer.Ordinal)
            ? null
            : $"container '{spec.Name}' has partition key {Format(actualPaths)}, expected {Format(spec.PartitionKeyPaths)}";
    }

    private static string Format(IEnumerable<string> paths) => $"[{string.Join(", ", paths)}]";
}
