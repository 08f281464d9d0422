namespace Shared.Infrastructure.Cosmos;

/// <summary>A container and its partition key paths. Every path list starts with /tenantId.</summary>
public sealed record ContainerSpec(string Name, IReadOnlyList<string> PartitionKeyPaths);
