using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;

namespace TestSupport;

/// <summary>
/// What the apps' registration declares of the stores' schema (every feature's SQLite migrations, every Cosmos container),
/// read from the same <see cref="BackendServices.AddBackend"/> the apps call, so tests never keep a list of their own.
/// </summary>
public static class DeclaredSchema
{
    /// <summary>The migrations of every feature, the embedded queue's included.</summary>
    public static IReadOnlyList<SqliteMigration> SqliteMigrations() => Registration("Sqlite").DeclaredSqliteMigrations();

    /// <summary>The containers the features use.</summary>
    public static IReadOnlyList<ContainerSpec> CosmosContainers() => Registration("Cosmos").DeclaredCosmosContainers();

    private static ServiceCollection Registration(string provider)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Store:Provider"] = provider,
            ["Queue:Provider"] = "Embedded",
            ["Cosmos:Endpoint"] = "https://127.0.0.1:8081/",
        }).Build();
        var services = new ServiceCollection();
        services.AddBackend(configuration, new Environment());
        return services;
    }

    private sealed class Environment : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = "Testing";

        public string ApplicationName { get; set; } = "tests";

        public string ContentRootPath { get; set; } = Path.GetTempPath();

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
