namespace Shared.Domain.Wallets;

/// <summary>The metadata a wallet payment carries on its Checkout session and its charge, so its webhooks find the wallet.</summary>
public static class WalletPayments
{
    public const string PurposeKey = "purpose";
    public const string Purpose = "wallet_top_up";
    public const string WalletKey = "wallet";
    public const string QuantityKey = "quantity";
    public const string UnitAmountKey = "unit_amount";

    /// <summary>
    /// Our id of one top-up (<c>tu_</c> + 32 hex digits), on the session and on its payment intent (so on the charge): the
    /// credit and the refunds of one payment share it as their ledger reference, whatever order their events arrive in.
    /// Payments started before it existed carry none; theirs are the session (credit) and the charge (refunds).
    /// </summary>
    public const string TopUpIdKey = "top_up_id";

    /// <summary>Smallest and largest money top-up (minor units): Stripe refuses charges under about 0.50 of most currencies.</summary>
    public const long MinTopUp = 100;
    public const long MaxTopUp = 1_000_000;
    public const long MaxCredits = 100_000;

    public static bool IsWalletPayment(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(PurposeKey, out var purpose) && purpose == Purpose;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static string NewTopUpId() => "tu_" + Guid.NewGuid().ToString("N");

    /// <summary>The top-up id in <paramref name="metadata"/>: null when absent (an older payment), false when malformed.</summary>
    public static bool TryReadTopUpId(IReadOnlyDictionary<string, string> metadata, out string? topUpId)
    {
        topUpId = metadata.GetValueOrDefault(TopUpIdKey);
        return topUpId is null || (topUpId.Length == 35 && topUpId.StartsWith("tu_", StringComparison.Ordinal) && !topUpId.AsSpan(3).ContainsAnyExcept(LowerHex));
    }

    public static bool TryParseKind(string? text, out WalletKind kind)
    {
        (var ok, kind) = text switch
        {
            "money" => (true, WalletKind.Money),
            "credits" => (true, WalletKind.Credits),
            _ => (false, WalletKind.Money),
        };
        return ok;
    }
}
