namespace Shared.Infrastructure.Tests;

/// <summary>Marks a derived scenario class that runs its base's <see cref="StoreFactAttribute"/> cases against Cosmos DB.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class CosmosStoreAttribute : Attribute;
