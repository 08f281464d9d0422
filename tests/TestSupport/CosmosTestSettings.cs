using Xunit;

namespace TestSupport;

/// <summary>
/// Where the Cosmos tests find a server: COSMOS_ENDPOINT (and COSMOS_KEY, defaulting to the emulators' published key).
/// ./test.sh starts the npm Cosmos server and sets them; run alone without it, Cosmos tests are skipped with a reason.
/// </summary>
public static class CosmosTestSettings
{
    /// <summary>The key every Cosmos DB emulator publishes; not a secret.</summary>
    public const string EmulatorKey = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

    public static string? Endpoint => Environment.GetEnvironmentVariable("COSMOS_ENDPOINT") is { Length: > 0 } e ? e : null;

    public static string Key => Environment.GetEnvironmentVariable("COSMOS_KEY") is { Length: > 0 } k ? k : EmulatorKey;

    public static Dictionary<string, string?> Settings(string database) => new()
    {
        ["Store:Provider"] = "Cosmos",
        ["Cosmos:Endpoint"] = Endpoint,
        ["Cosmos:Key"] = Key,
        ["Cosmos:Database"] = database,
        ["Cosmos:ConnectionMode"] = "Gateway",
        ["Cosmos:AcceptEmulatorCertificate"] = "true",

        // No Service Bus here: jobs go to the embedded queue, in its own temporary file.
        ["Sqlite:Path"] = Path.Combine(Path.GetTempPath(), $"cosmos-queue-{Guid.NewGuid():N}", "queue.db"),
    };
}

/// <summary>A test that needs a Cosmos server: the npm one that ./test.sh starts (tests/tools/cosmos-server.js), Microsoft's emulator or an account.</summary>
public sealed class CosmosFactAttribute : FactAttribute
{
    public CosmosFactAttribute()
    {
        if (CosmosTestSettings.Endpoint is null)
        {
            Skip = "COSMOS_ENDPOINT is not set; ./test.sh starts a Cosmos server and sets it.";
        }
    }
}
