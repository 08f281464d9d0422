namespace Shared.Domain.Wallets;

/// <summary>The stable text of the wallet enums, as stored and as the API answers them.</summary>
public static class WalletText
{
    public static string Format(LedgerEntryKind kind) => kind switch
    {
        LedgerEntryKind.TopUp => "top_up",
        LedgerEntryKind.Purchase => "purchase",
        LedgerEntryKind.Charge => "charge",
        LedgerEntryKind.Hold => "hold",
        LedgerEntryKind.Release => "release",
        LedgerEntryKind.Refund => "refund",
        LedgerEntryKind.Expiry => "expiry",
        LedgerEntryKind.Adjustment => "adjustment",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static LedgerEntryKind ParseKind(string text) => text switch
    {
        "top_up" => LedgerEntryKind.TopUp,
        "purchase" => LedgerEntryKind.Purchase,
        "charge" => LedgerEntryKind.Charge,
        "hold" => LedgerEntryKind.Hold,
        "release" => LedgerEntryKind.Release,
        "refund" => LedgerEntryKind.Refund,
        "expiry" => LedgerEntryKind.Expiry,
        "adjustment" => LedgerEntryKind.Adjustment,
        _ => throw new FormatException($"Unknown ledger entry kind '{text}'."),
    };

    public static string Format(WalletKind kind) => kind switch
    {
        WalletKind.Money => "money",
        WalletKind.Credits => "credits",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
