using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Marketplace;

/// <summary>
/// Keyword search with filters and four orders, a page at a time. Every order is (key, id) descending and pages
/// continue after the last item's (key, id) (keyset paging, no offsets), with the first page's time as the upper bound
/// of creation: items added while a client pages never shift or enter its pages, so each match present at the first
/// page comes exactly once. Relevance reads two groups in turn (every word in the title, then the other matches), each
/// by the confidence-aware score. A change of an item's installs or rating while a client pages can move it across
/// the cursor (seen twice or not at all on the rating and installs orders): those keys are live, not a snapshot.
/// </summary>
public sealed class MarketplaceSearch(IMarketplaceStore store, IUserDirectory users, MarketplaceOptions options, TimeProvider time)
{
    public async Task<Result<ItemSearchPage>> SearchAsync(Tenant tenant, SearchRequest request, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var limit = request.Limit ?? options.PageSizeDefault;
        if (limit < 1 || limit > options.PageSizeMax)
        {
            errors.Add("limit", $"Between 1 and {options.PageSizeMax}.");
        }

        var words = request.Query is null ? [] : SearchText.Words(request.Query);
        if (request.Query is { Length: > SearchText.MaxQueryLength } || words.Count > SearchText.MaxWords)
        {
            errors.Add("query", $"At most {SearchText.MaxQueryLength} characters and {SearchText.MaxWords} words.");
        }

        var category = request.Category?.Trim().ToLowerInvariant();
        if (category is not null && !tenant.Marketplace.Categories.Contains(category))
        {
            errors.Add("category", $"One of: {string.Join(", ", tenant.Marketplace.Categories)}.");
        }

        ItemKind? kind = null;
        if (request.Kind is not null)
        {
            if (MarketplaceText.TryParseKind(request.Kind, out var parsed))
            {
                kind = parsed;
            }
            else
            {
                errors.Add("kind", "One of feature, gpt, prompt, bundle.");
            }
        }

        if (request.MinPrice is < 0 or > ItemDetailsRules.PriceMax)
        {
            errors.Add("min_price", $"From 0 to {ItemDetailsRules.PriceMax} minor units.");
        }

        if (request.MaxPrice is < 0 or > ItemDetailsRules.PriceMax || request.MaxPrice < request.MinPrice)
        {
            errors.Add("max_price", $"From min_price (or 0) to {ItemDetailsRules.PriceMax} minor units.");
        }

        var sort = ItemSort.Relevance;
        if (request.Sort is not null && !MarketplaceText.TryParseSort(request.Sort, out sort))
        {
            errors.Add("sort", "One of relevance, rating, installs, newest.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        var fingerprint = SearchContinuation.FingerprintOf(string.Join(
            '\n',
            string.Join(' ', words),
            category,
            kind is { } k ? MarketplaceText.Format(k) : "",
            request.MinPrice?.ToString(CultureInfo.InvariantCulture),
            request.MaxPrice?.ToString(CultureInfo.InvariantCulture),
            request.Free?.ToString(),
            MarketplaceText.Format(sort)));
        SearchContinuation? after = null;
        if (!string.IsNullOrEmpty(request.Continuation) && (!SearchContinuation.TryDecode(request.Continuation, out after) || after!.Fingerprint != fingerprint))
        {
            return MarketplaceErrors.InvalidContinuation;
        }

        var createdUpTo = after?.CreatedUpTo ?? time.GetUtcNow().ToUnixTimeMilliseconds();
        var baseSearch = new ItemSearch
        {
            Patterns = SearchText.Patterns(words),
            Category = category,
            Kind = kind,
            MinPrice = request.MinPrice,
            MaxPrice = request.MaxPrice,
            Free = request.Free,
            Sort = sort,
            CreatedUpTo = createdUpTo,
            Limit = limit + 1,
        };

        // Relevance with words: the title group, then the rest. Otherwise one group.
        bool?[] groups = sort == ItemSort.Relevance && words.Count > 0 ? [true, false] : [null];
        var found = new List<(MarketplaceItem Item, int Group)>();
        for (var group = after?.Group ?? 0; group < groups.Length && found.Count <= limit; group++)
        {
            var continuing = after is not null && group == after.Group;
            var search = baseSearch with
            {
                InTitle = groups[group],
                AfterKey = continuing ? after!.Key : null,
                AfterId = continuing ? after!.Id : null,
                Limit = limit + 1 - found.Count,
            };
            found.AddRange((await store.FindAsync(tenant.Id, search, cancellationToken)).Select(item => (item, group)));
        }

        string? next = null;
        if (found.Count > limit)
        {
            found.RemoveRange(limit, found.Count - limit);
            var (last, lastGroup) = found[^1];
            next = new SearchContinuation(fingerprint, createdUpTo, lastGroup, last.SortKey(sort), last.Id).Encode();
        }

        var names = await DisplayNames.ReadAsync(users, tenant.Id, found.Select(f => f.Item.CreatorId), cancellationToken);

        return new ItemSearchPage([.. found.Select(f => new ItemView(f.Item, names[f.Item.CreatorId], Installed: false, Purchased: false))], next);
    }
}
