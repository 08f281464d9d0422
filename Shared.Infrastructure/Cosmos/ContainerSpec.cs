namespace Shared.Infrastructure.Cosmos;

/// <summary>
/// A container and its partition key paths (every path list starts with /tenantId), and the composite indexes its
/// queries need: Cosmos DB serves an ORDER BY over several properties only from a composite index with exactly those
/// paths and directions. Each index is a list of (path, descending).
/// </summary>
public sealed record ContainerSpec(string Name, IReadOnlyList<string> PartitionKeyPaths, IReadOnlyList<IReadOnlyList<(string Path, bool Descending)>>? CompositeIndexes = null);
