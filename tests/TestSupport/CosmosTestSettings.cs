using Xunit;

namespace TestSupport;

/// <summary>
/// Where the Cosmos tests find a server: COSMOS_ENDPOINT and COSMOS_KEY. ./test.sh starts the npm Cosmos server (which
/// checks no key) and sets the endpoint; an emulator started elsewhere brings its key in COSMOS_KEY. Without COSMOS_KEY
/// the tests use a random key of this process: no key is written in the repository. Run alone without a server, Cosmos
/// tests are skipped with a reason.
/// </summary>
public static class CosmosTestSettings
{
    /// <summary>A well-formed account key (base64 of 64 random bytes) drawn once per test process.</summary>
    public static readonly string RandomKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64));

    public static string? Endpoint => Environment.GetEnvironmentVariable("COSMOS_ENDPOINT") is { Length: > 0 } e ? e : null;

    public static string Key => Environment.GetEnvironmentVariable("COSMOS_KEY") is { Length: > 0 } k ? k : RandomKey;

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
