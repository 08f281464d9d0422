using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Marketplace;

/// <summary>A creator's own earnings ledger: entries newest first with an opaque continuation, and (on the first page) the totals per currency.</summary>
public sealed class CreatorEarnings(IMarketplaceSalesStore sales, MarketplaceOptions options)
{
    public async Task<Result<EarningsStatement>> ListAsync(Tenant tenant, MarketplaceCaller caller, int? limit, string? continuation, CancellationToken cancellationToken)
    {
        var max = limit ?? options.PageSizeDefault;
        if (max < 1 || max > options.PageSizeMax)
        {
            return Error.Validation("limit", $"Between 1 and {options.PageSizeMax}.");
        }

        EarningsCursor? after = null;
        if (!string.IsNullOrEmpty(continuation) && !TryDecode(continuation, caller.Id, out after))
        {
            return Error.Validation("continuation", "Not a continuation token of this list.");
        }

        // The totals read every entry of the creator: computed for the first page only, not again for each page after it.
        var page = await sales.ListEarningsAsync(tenant.Id, caller.Id, max, after, cancellationToken);
        var totals = after is null ? await sales.EarningsTotalsAsync(tenant.Id, caller.Id, cancellationToken) : null;
        return new EarningsStatement(page.Items, totals, page.Next is { } next ? Encode(caller.Id, next) : null);
    }

    private static string Encode(UserId creator, EarningsCursor cursor) =>
        ContinuationText.Encode(string.Create(CultureInfo.InvariantCulture, $"e1|{creator.Value}|{cursor.CreatedAtMs}|{cursor.EntryId}"));

    private static bool TryDecode(string text, UserId creator, out EarningsCursor? cursor)
    {
        cursor = null;
        if (text.Length > SearchContinuation.MaxLength || !ContinuationText.TryDecode(text, out var plain))
        {
            return false;
        }

        if (plain.Split('|') is not ["e1", var owner, var at, var entry] || owner != creator.Value
            || !long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var atMs)
            || !IsEntryId(entry))
        {
            return false;
        }

        cursor = new EarningsCursor(atMs, entry);
        return true;
    }

    /// <summary>An entry id as <see cref="EarningsEntry.Id"/> writes it: <c>{purchase}:sale</c>, <c>{purchase}:reversal</c> or <c>{purchase}:reversal:{cumulative}</c>.</summary>
    private static bool IsEntryId(string entry) => entry.Split(':') switch
    {
        [var purchase, "sale" or "reversal"] => MarketplaceErrors.IsItemId(purchase),
        [var purchase, "reversal", var through] => MarketplaceErrors.IsItemId(purchase) && long.TryParse(through, NumberStyles.None, CultureInfo.InvariantCulture, out _),
        _ => false,
    };
}
