using System.Text.Json.Serialization;

namespace Shared.Infrastructure.Wallets;

/// <summary>A wallet in its owner's partition: the position, the last entry's sequence number and the open holds.</summary>
internal sealed class WalletDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "wallet";

    public string Kind { get; set; } = "";

    public long Balance { get; set; }

    public long Held { get; set; }

    public long Seq { get; set; }

    /// <summary>Open holds by key: small (a hold lives from a campaign's start to its settlement).</summary>
    public Dictionary<string, long> Holds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Set while the owner's erasure moves this wallet to a pseudonymous owner (so a retry uses the same one).</summary>
    public string? ErasedTo { get; set; }

    public static string IdOf(string kind) => "wallet-" + kind;
}
