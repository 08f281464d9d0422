using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>What a valid item looks like; every invalid field is reported at once.</summary>
public static class ItemDetailsRules
{
    public const int TitleMin = 3;
    public const int TitleMax = 120;
    public const int DescriptionMax = 5000;
    public const int CategoriesMax = 5;
    public const long PriceMax = 100_000_000;
    public const int AssetRefMax = 2048;

    public static Result<ItemDetails> Validate(string? title, string? description, string? kind, IReadOnlyList<string?>? categories, long? priceCents, string? currency, string? assetRef, MarketplaceSettings settings)
    {
        var errors = new FieldErrors();
        var cleanTitle = title?.Trim();
        if (cleanTitle is null || cleanTitle.Length < TitleMin || cleanTitle.Length > TitleMax || !PlainText.IsClean(cleanTitle, allowNewlines: false))
        {
            errors.Add("title", $"Required: {TitleMin} to {TitleMax} characters of plain text on one line.");
        }

        var cleanDescription = description?.Trim() ?? "";
        if (cleanDescription.Length > DescriptionMax || !PlainText.IsClean(cleanDescription, allowNewlines: true))
        {
            errors.Add("description", $"At most {DescriptionMax} characters of plain text.");
        }

        if (!MarketplaceText.TryParseKind(kind, out var parsedKind))
        {
            errors.Add("kind", "One of feature, gpt, prompt, bundle.");
        }

        var cleanCategories = (categories ?? []).Select(c => c?.Trim().ToLowerInvariant()).Distinct().ToList();
        if (cleanCategories.Count is 0 or > CategoriesMax || cleanCategories.Any(c => c is null || !settings.Categories.Contains(c)))
        {
            errors.Add("categories", $"1 to {CategoriesMax} of: {string.Join(", ", settings.Categories)}.");
        }

        if (priceCents is not { } price || price < 0 || price > PriceMax)
        {
            errors.Add("price_cents", $"Required: a whole number of minor units from 0 (free) to {PriceMax}.");
        }

        var cleanCurrency = currency ?? (priceCents == 0 ? "USD" : null);
        if (cleanCurrency is null || cleanCurrency.Length != 3 || !cleanCurrency.All(char.IsAsciiLetterUpper))
        {
            errors.Add("currency", "A three-letter upper-case ISO 4217 code (required for a paid item).");
        }

        if (assetRef is not null && (assetRef.Length is 0 or > AssetRefMax || !PlainText.IsClean(assetRef, allowNewlines: false)))
        {
            errors.Add("asset_ref", $"1 to {AssetRefMax} characters on one line.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        return new ItemDetails(cleanTitle!, cleanDescription, parsedKind, cleanCategories!, new Money(priceCents!.Value, cleanCurrency!), assetRef);
    }
}
