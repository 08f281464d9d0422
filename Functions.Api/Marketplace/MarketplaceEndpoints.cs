using System.Globalization;
using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Domain.Users;

namespace Functions.Api.Marketplace;

/// <summary>
/// The marketplace: one catalog of items (WebSquare features, GPT-store products) that creators publish and admins
/// verify, searched with filters and four orders, installed once per user and rated by those who installed. Every
/// answer is JSON (user text travels as JSON strings only, never as markup). Paid items are bought through Checkout
/// (payment mode; fulfilled by the Stripe webhook) and install only with an entitlement; creators read their earnings.
/// </summary>
public static class MarketplaceEndpoints
{
    private const string ItemRoute = "/marketplace/items/{item_id}";

    public static void MapMarketplace(this RouteGroupBuilder v1)
    {
        v1.MapGet("/marketplace/categories", Categories)
            .WithName("MarketplaceCategories")
            .WithSummary("The categories items of this tenant may name.")
            .AllowAnonymous();

        v1.MapPost("/marketplace/items", CreateAsync)
            .WithName("CreateMarketplaceItem")
            .WithSummary("Publishes an item (creator role, or a premium plan where the tenant allows): pending until an admin verifies it, unless the tenant auto-publishes.")
            .Accepts<ItemBody>("application/json")
            .Produces<ItemResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/marketplace/items", SearchAsync)
            .WithName("SearchMarketplaceItems")
            .WithSummary("Published items: ?query (words of title/description; case- and accent-insensitive; the last word may be a prefix), category, kind, min_price, max_price, free, sort=relevance|rating|installs|newest, limit, continuation.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet(ItemRoute, GetAsync)
            .WithName("GetMarketplaceItem")
            .WithSummary("One item with its rating summary and whether the caller installed it.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPut(ItemRoute, UpdateAsync)
            .WithName("UpdateMarketplaceItem")
            .WithSummary("Replaces the item's details (its creator only); it goes back to verification unless the tenant auto-publishes.")
            .Accepts<ItemBody>("application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapDelete(ItemRoute, DeleteAsync)
            .WithName("DeleteMarketplaceItem")
            .WithSummary("Removes the item from the catalog (its creator only); users who installed it keep it.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost(ItemRoute + "/install", InstallAsync)
            .WithName("InstallMarketplaceItem")
            .WithSummary("Installs a free item; counted once per user ever (a repeat answers the same and counts nothing). Creators cannot install their own.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status402PaymentRequired)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapDelete(ItemRoute + "/install", UninstallAsync)
            .WithName("UninstallMarketplaceItem")
            .WithSummary("Uninstalls: active_installs drops, the lifetime install_count does not.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost(ItemRoute + "/ratings", RateAsync)
            .WithName("RateMarketplaceItem")
            .WithSummary("Rates an installed item, 1–5 stars with an optional review (plain text, at most 2000 characters); a second rating replaces the first.")
            .Accepts<RatingBody>("application/json")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet(ItemRoute + "/ratings", ListRatingsAsync)
            .WithName("ListMarketplaceRatings")
            .WithSummary("The item's ratings, most recent first, with the raters' display names; ?limit, continuation.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost(ItemRoute + "/purchase", PurchaseAsync)
            .WithName("PurchaseMarketplaceItem")
            .WithSummary("Starts a Checkout payment for a paid item ({success_url?, cancel_url?} on the tenant's hosts): {checkout_url, session_id}. The webhook entitles the buyer once paid.")
            .Accepts<PurchaseBody>("application/json")
            .Produces<PurchaseResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/creators/me/earnings", EarningsAsync)
            .WithName("CreatorEarnings")
            .WithSummary("The caller's earnings ledger as a creator (sales and reversals, newest first; ?limit, continuation) with totals per currency. Payouts are not part of this API.")
            .Produces<EarningsResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/creators/me/items", MyItemsAsync)
            .WithName("CreatorItems")
            .WithSummary("The caller's own items in any status (?status=pending|published|hidden to pick one), newest first, without deleted ones; ?limit, continuation.")
            .Produces<ItemListResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/admin/marketplace/items", QueueAsync)
            .WithName("MarketplaceQueue")
            .WithSummary("Admin: the tenant's items of one status (?status=pending, the default, published or hidden), newest first, without deleted ones; ?limit, continuation.")
            .Produces<ItemListResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.Admin);

        foreach (var (action, name) in new[] { (ModerationAction.Verify, "verify"), (ModerationAction.Hide, "hide"), (ModerationAction.Unhide, "unhide") })
        {
            v1.MapPost("/admin/marketplace/items/{item_id}/" + name, (string item_id, HttpContext http, MarketplaceCatalog catalog, CancellationToken cancellationToken) => ModerateAsync(item_id, action, http, catalog, cancellationToken))
                .WithName("MarketplaceItem" + char.ToUpperInvariant(name[0]) + name[1..])
                .WithSummary(action switch
                {
                    ModerationAction.Verify => "Admin: verifies the item and publishes it (a hidden item stays hidden).",
                    ModerationAction.Hide => "Admin: hides the item from the catalog.",
                    _ => "Admin: shows a hidden item again (published if verified or the tenant auto-publishes, else pending).",
                })
                .ProducesProblem(StatusCodes.Status401Unauthorized)
                .ProducesProblem(StatusCodes.Status403Forbidden)
                .RequireAuthorization(Policies.Admin);
        }
    }

    private static Ok<CategoriesResponse> Categories(HttpContext http, MarketplaceCatalog catalog) =>
        TypedResults.Ok(new CategoriesResponse(catalog.Categories(TenantFilter.CurrentTenant(http))));

    private static async Task<Results<Created<ItemResponse>, ProblemHttpResult>> CreateAsync(HttpContext http, MarketplaceCatalog catalog, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ItemBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await catalog.CreateAsync(TenantFilter.CurrentTenant(http), CallerOf(http), Input(body.Value), cancellationToken);
        return Problems.Map(result, view => TypedResults.Created($"/api/v1/marketplace/items/{view.Item.Id}", ItemResponse.From(view)));
    }

    private static async Task<Results<Ok<ItemListResponse>, ProblemHttpResult>> SearchAsync(HttpContext http, MarketplaceSearch search, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var errors = new FieldErrors();
        var request = new SearchRequest
        {
            Query = Text(query, "query"),
            Category = Text(query, "category"),
            Kind = Text(query, "kind"),
            MinPrice = Number(query, "min_price", errors),
            MaxPrice = Number(query, "max_price", errors),
            Free = Flag(query, "free", errors),
            Sort = Text(query, "sort"),
            Continuation = Text(query, "continuation"),
            Limit = (int?)Number(query, "limit", errors, int.MaxValue),
        };
        if (errors.Any)
        {
            return Problems.From(errors.ToError());
        }

        var page = await search.SearchAsync(TenantFilter.CurrentTenant(http), request, cancellationToken);
        return Problems.Map(page, p => TypedResults.Ok(new ItemListResponse([.. p.Items.Select(v => ItemResponse.From(v, withCaller: false))], p.Continuation)));
    }

    private static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> GetAsync(string item_id, HttpContext http, MarketplaceCatalog catalog, CancellationToken cancellationToken)
    {
        var result = await catalog.GetAsync(TenantFilter.CurrentTenant(http), CallerOf(http), item_id, cancellationToken);
        return Problems.Map(result, view => TypedResults.Ok(ItemResponse.From(view)));
    }

    private static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> UpdateAsync(string item_id, HttpContext http, MarketplaceCatalog catalog, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<ItemBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await catalog.UpdateAsync(TenantFilter.CurrentTenant(http), CallerOf(http), item_id, Input(body.Value), cancellationToken);
        return Problems.Map(result, view => TypedResults.Ok(ItemResponse.From(view)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string item_id, HttpContext http, MarketplaceCatalog catalog, CancellationToken cancellationToken)
    {
        var result = await catalog.DeleteAsync(TenantFilter.CurrentTenant(http), CallerOf(http), item_id, cancellationToken);
        return Problems.Map(result, _ => TypedResults.NoContent());
    }

    private static async Task<Results<Ok<ItemResponse>, ProblemHttpResult>> ModerateAsync(string item_id, ModerationAction action, HttpContext http, MarketplaceCatalog catalog, CancellationToken cancellationToken)
    {
        var result = await catalog.ModerateAsync(TenantFilter.CurrentTenant(http), CallerOf(http), item_id, action, cancellationToken);
        return Problems.Map(result, view => TypedResults.Ok(ItemResponse.From(view, withCaller: false)));
    }

    private static async Task<Results<Ok<InstallResponse>, ProblemHttpResult>> InstallAsync(string item_id, HttpContext http, MarketplaceInstalls installs, CancellationToken cancellationToken)
    {
        var result = await installs.InstallAsync(TenantFilter.CurrentTenant(http), CallerOf(http), item_id, cancellationToken);
        return Problems.Map(result, outcome => TypedResults.Ok(new InstallResponse(true, outcome.InstallCount, outcome.ActiveInstalls)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> UninstallAsync(string item_id, HttpContext http, MarketplaceInstalls installs, CancellationToken cancellationToken)
    {
        var result = await installs.UninstallAsync(TenantFilter.CurrentTenant(http), CallerOf(http), item_id, cancellationToken);
        return Problems.Map(result, _ => TypedResults.NoContent());
    }

    private static async Task<Results<Ok<RatingResponse>, ProblemHttpResult>> RateAsync(string item_id, HttpContext http, MarketplaceInstalls installs, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<RatingBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await installs.RateAsync(TenantFilter.CurrentTenant(http), CallerOf(http), item_id, body.Value.Stars, body.Value.Review, cancellationToken);
        return Problems.Map(result, r => TypedResults.Ok(new RatingResponse(r.Rating.Stars, r.Rating.Review, r.Rating.UpdatedAt, r.Summary.Count, r.Summary.Average, ItemResponse.Histogram(r.Summary))));
    }

    private static async Task<Results<Ok<RatingListResponse>, ProblemHttpResult>> ListRatingsAsync(string item_id, HttpContext http, MarketplaceInstalls installs, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var limit = (int?)Number(http.Request.Query, "limit", errors, int.MaxValue);
        if (errors.Any)
        {
            return Problems.From(errors.ToError());
        }

        var result = await installs.ListRatingsAsync(TenantFilter.CurrentTenant(http), CallerOf(http), item_id, limit, Text(http.Request.Query, "continuation"), cancellationToken);
        return Problems.Map(result, page => TypedResults.Ok(new RatingListResponse([.. page.Items.Select(r => new RatingListItem(new RaterResponse(r.DisplayName), r.Stars, r.Review, r.UpdatedAt))], page.Continuation)));
    }

    private static async Task<Results<Ok<PurchaseResponse>, ProblemHttpResult>> PurchaseAsync(string item_id, HttpContext http, StartItemPurchase purchase, CancellationToken cancellationToken)
    {
        // The body is optional: none (or an empty one) means the tenant's own redirect URLs.
        PurchaseBody? body = null;
        if (http.Request.ContentLength is > 0 || (http.Request.ContentLength is null && http.Request.Headers.TransferEncoding.Count > 0))
        {
            var read = await JsonBody.ReadAsync<PurchaseBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
            if (!read.IsSuccess)
            {
                return Problems.From(read.Error!);
            }

            body = read.Value;
        }

        var result = await purchase.HandleAsync(TenantFilter.CurrentTenant(http), CallerOf(http), item_id, body?.SuccessUrl, body?.CancelUrl, cancellationToken);
        return Problems.Map(result, session => TypedResults.Ok(new PurchaseResponse(session.Url, session.Id)));
    }

    private static async Task<Results<Ok<EarningsResponse>, ProblemHttpResult>> EarningsAsync(HttpContext http, CreatorEarnings earnings, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var limit = (int?)Number(http.Request.Query, "limit", errors, int.MaxValue);
        if (errors.Any)
        {
            return Problems.From(errors.ToError());
        }

        var result = await earnings.ListAsync(TenantFilter.CurrentTenant(http), CallerOf(http), limit, Text(http.Request.Query, "continuation"), cancellationToken);
        return Problems.Map(result, statement => TypedResults.Ok(new EarningsResponse(
            [.. statement.Items.Select(e => new EarningsItemResponse(e.ItemId, MarketplaceText.Format(e.Kind), e.AmountCents, e.Currency, e.CreatedAt))],
            statement.Totals,
            statement.Continuation)));
    }

    private static Task<Results<Ok<ItemListResponse>, ProblemHttpResult>> MyItemsAsync(HttpContext http, MarketplaceListings listings, CancellationToken cancellationToken) =>
        ListingAsync(http, (limit, cursor) => listings.MineAsync(TenantFilter.CurrentTenant(http), CallerOf(http), Text(http.Request.Query, "status"), limit, cursor, cancellationToken));

    private static Task<Results<Ok<ItemListResponse>, ProblemHttpResult>> QueueAsync(HttpContext http, MarketplaceListings listings, CancellationToken cancellationToken) =>
        ListingAsync(http, (limit, cursor) => listings.QueueAsync(TenantFilter.CurrentTenant(http), Text(http.Request.Query, "status"), limit, cursor, cancellationToken));

    /// <summary>The two listings: ?limit checked here, ?continuation read by <see cref="ContinuationQuery"/> (absent or empty: the first page).</summary>
    private static async Task<Results<Ok<ItemListResponse>, ProblemHttpResult>> ListingAsync(HttpContext http, Func<int?, string?, Task<Result<ItemSearchPage>>> list)
    {
        var errors = new FieldErrors();
        var limit = (int?)Number(http.Request.Query, "limit", errors, int.MaxValue);
        if (errors.Any)
        {
            return Problems.From(errors.ToError());
        }

        var cursor = ContinuationQuery.Cursor(http.Request);
        if (!cursor.IsSuccess)
        {
            return Problems.From(cursor.Error!);
        }

        var page = await list(limit, cursor.Value);
        return Problems.Map(page, p => TypedResults.Ok(new ItemListResponse([.. p.Items.Select(v => ItemResponse.From(v, withCaller: false))], p.Continuation)));
    }

    private static MarketplaceCaller CallerOf(HttpContext http) =>
        new(Caller.Required(http), http.User.IsInRole(Role.Creator.ToClaim()), http.User.IsInRole(Role.Admin.ToClaim()));

    private static ItemInput Input(ItemBody body) => new(body.Title, body.Description, body.Kind, body.Categories, body.PriceCents, body.Currency, body.AssetRef);

    private static string? Text(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) && values.ToString() is { Length: > 0 } text ? text : null;

    private static long? Number(IQueryCollection query, string name, FieldErrors errors, long max = long.MaxValue)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }

        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= max)
        {
            return value;
        }

        errors.Add(name, "Must be a whole number.");
        return null;
    }

    private static bool? Flag(IQueryCollection query, string name, FieldErrors errors)
    {
        switch (Text(query, name))
        {
            case null:
                return null;
            case "true":
                return true;
            case "false":
                return false;
            default:
                errors.Add(name, "Must be true or false.");
                return null;
        }
    }
}
