namespace Shared.Domain.Marketplace;

/// <summary>The wire and storage names of the marketplace's enums (snake_case, stable).</summary>
public static class MarketplaceText
{
    public static string Format(ItemKind kind) => kind switch
    {
        ItemKind.Feature => "feature",
        ItemKind.Gpt => "gpt",
        ItemKind.Prompt => "prompt",
        ItemKind.Bundle => "bundle",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static bool TryParseKind(string? text, out ItemKind kind)
    {
        foreach (var candidate in Enum.GetValues<ItemKind>())
        {
            if (Format(candidate) == text)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static ItemKind ParseKind(string text) => TryParseKind(text, out var kind) ? kind : throw new FormatException($"Unknown item kind '{text}'.");

    public static string Format(ItemStatus status) => status switch
    {
        ItemStatus.Pending => "pending",
        ItemStatus.Published => "published",
        ItemStatus.Hidden => "hidden",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static ItemStatus ParseStatus(string text) => text switch
    {
        "pending" => ItemStatus.Pending,
        "published" => ItemStatus.Published,
        "hidden" => ItemStatus.Hidden,
        _ => throw new FormatException($"Unknown item status '{text}'."),
    };

    public static string Format(ItemSort sort) => sort switch
    {
        ItemSort.Relevance => "relevance",
        ItemSort.Rating => "rating",
        ItemSort.Installs => "installs",
        ItemSort.Newest => "newest",
        _ => throw new ArgumentOutOfRangeException(nameof(sort), sort, null),
    };

    public static bool TryParseSort(string? text, out ItemSort sort)
    {
        foreach (var candidate in Enum.GetValues<ItemSort>())
        {
            if (Format(candidate) == text)
            {
                sort = candidate;
                return true;
            }
        }

        sort = default;
        return false;
    }

    public static string Format(EarningsKind kind) => kind switch
    {
        EarningsKind.Sale => "sale",
        EarningsKind.Reversal => "reversal",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static EarningsKind ParseEarningsKind(string text) => text switch
    {
        "sale" => EarningsKind.Sale,
        "reversal" => EarningsKind.Reversal,
        _ => throw new FormatException($"Unknown earnings kind '{text}'."),
    };
}
