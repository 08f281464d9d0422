using System.Text.Json.Serialization;
using Shared.Domain.Wallets;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Wallets;

/// <summary>
/// A ledger entry in its owner's partition. Its document id is derived from the wallet and the idempotency key, so a
/// second entry with the same key cannot be created: the batch that tries fails with 409 and changes nothing.
/// </summary>
internal sealed class WalletEntryDocument
{
    public string Id { get; set; } = "";

    [JsonPropertyName("tenantId")]
    public string TenantId { get; set; } = "";

    [JsonPropertyName("userId")]
    public string UserId { get; set; } = "";

    public string Type { get; set; } = "wallet_entry";

    public string WalletKind { get; set; } = "";

    public string EntryId { get; set; } = "";

    public long Seq { get; set; }

    public string Kind { get; set; } = "";

    public long Amount { get; set; }

    public long HeldDelta { get; set; }

    public long BalanceAfter { get; set; }

    public long HeldAfter { get; set; }

    public string IdempotencyKey { get; set; } = "";

    public string? Reference { get; set; }

    public long Requested { get; set; }

    public long CreatedAtMs { get; set; }

    public static string IdOf(string walletKind, string idempotencyKey) => Keys.Hashed($"wallet-entry-{walletKind}-", idempotencyKey);

    public static WalletEntryDocument From(WalletKey wallet, LedgerEntry e) => new()
    {
        Id = IdOf(WalletText.Format(wallet.Kind), e.IdempotencyKey),
        TenantId = wallet.TenantId.Value,
        UserId = wallet.UserId.Value,
        WalletKind = WalletText.Format(wallet.Kind),
        EntryId = e.Id,
        Seq = e.Sequence,
        Kind = WalletText.Format(e.Kind),
        Amount = e.Amount,
        HeldDelta = e.HeldDelta,
        BalanceAfter = e.BalanceAfter,
        HeldAfter = e.HeldAfter,
        IdempotencyKey = e.IdempotencyKey,
        Reference = e.Reference,
        Requested = e.Requested,
        CreatedAtMs = e.CreatedAt.ToUnixTimeMilliseconds(),
    };

    public LedgerEntry ToEntry() => new(EntryId, Seq, WalletText.ParseKind(Kind), Amount, HeldDelta, BalanceAfter, HeldAfter, IdempotencyKey, Reference, Requested, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAtMs));
}
