namespace Shared.Infrastructure.Cosmos;

public sealed class CosmosOptions
{
    /// <summary>Account endpoint, e.g. https://myaccount.documents.azure.com:443/.</summary>
    public string Endpoint { get; set; } = "";

    public string Database { get; set; } = "serverless";

    /// <summary>An account key. Only for emulators: in Azure the app authenticates with its managed identity.</summary>
    public string? Key { get; set; }

    /// <summary>Accept the self-signed certificate of an emulator. Refused unless the endpoint is a loopback address.</summary>
    public bool AcceptEmulatorCertificate { get; set; }

    /// <summary>"Direct" (production default) or "Gateway" (emulators).</summary>
    public string ConnectionMode { get; set; } = "Direct";

    /// <summary>Throughput for containers created at startup (serverless accounts: leave empty).</summary>
    public int? ContainerThroughput { get; set; }

    /// <summary>
    /// Create the database and missing containers at startup (true), or only verify them (false). Unset: create when an
    /// account key is configured (emulators), verify with the managed identity, whose data-plane RBAC cannot create
    /// databases or containers (in Azure they come from infra/).
    /// </summary>
    public bool? CreateIfMissing { get; set; }

    public bool ShouldCreateIfMissing => CreateIfMissing ?? !string.IsNullOrEmpty(Key);
}
