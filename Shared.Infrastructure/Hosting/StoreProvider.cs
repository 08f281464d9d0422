namespace Shared.Infrastructure.Hosting;

/// <summary>Which store backs the features' ports (Store:Provider); every feature registers its adapters for it.</summary>
public enum StoreProvider
{
    /// <summary>The embedded SQLite file (local runs and tests; refused in Production).</summary>
    Sqlite,

    /// <summary>Azure Cosmos DB.</summary>
    Cosmos,
}
