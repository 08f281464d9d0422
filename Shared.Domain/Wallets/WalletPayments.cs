namespace Shared.Domain.Wallets;

/// <summary>The metadata a wallet payment carries on its Checkout session and its charge, so its webhooks find the wallet.</summary>
public static class WalletPayments
{
    public const string PurposeKey = "purpose";
    public const string Purpose = "wallet_top_up";
    public const string WalletKey = "wallet";
    public const string QuantityKey = "quantity";
    public const string UnitAmountKey = "unit_amount";

    /// <summary>Smallest and largest money top-up (minor units): Stripe refuses charges under about 0.50 of most currencies.</summary>
    public const long MinTopUp = 100;
    public const long MaxTopUp = 1_000_000;
    public const long MaxCredits = 100_000;

    public static bool IsWalletPayment(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(PurposeKey, out var purpose) && purpose == Purpose;

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
