using System.Globalization;
using Functions.Api.Auth;
using Functions.Api.Billing;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Common;
using Shared.Domain.Wallets;

namespace Functions.Api.Wallets;

/// <summary>
/// The caller's wallets: a shopkeeper's money wallet (balance, ledger, top-ups through Checkout) and a GPT-store user's
/// credits (balance, credit top-ups). Top-ups only start a payment; its webhook credits the wallet once.
/// </summary>
public static class WalletEndpoints
{
    private const int PageSize = 50;

    public static void MapWallets(this RouteGroupBuilder v1)
    {
        v1.MapGet("/wallets/me", GetWalletAsync)
            .WithName("GetWallet")
            .WithSummary("The caller's money wallet: balance_cents (open holds included), held_cents and the tenant's wallet currency.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.Shopkeeper);

        v1.MapGet("/wallets/me/entries", ListEntriesAsync)
            .WithName("ListWalletEntries")
            .WithSummary("The caller's wallet ledger, newest first, 50 a page; pass the returned continuation to get the next page.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireAuthorization(Policies.Shopkeeper);

        v1.MapPost("/wallets/me/top-ups", (HttpContext http, StartWalletTopUp start, CancellationToken ct) => TopUpAsync(http, start, WalletKind.Money, ct))
            .WithName("TopUpWallet")
            .WithSummary("Starts a Checkout payment of amount_cents into the caller's wallet; the wallet is credited when the payment completes.")
            .Accepts<TopUpBody>("application/json")
            .ProducesTopUpProblems()
            .RequireAuthorization(Policies.Shopkeeper);

        v1.MapGet("/credits/me", GetCreditsAsync)
            .WithName("GetCredits")
            .WithSummary("The caller's GPT-store credits.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost("/credits/me/top-ups", (HttpContext http, StartWalletTopUp start, CancellationToken ct) => TopUpAsync(http, start, WalletKind.Credits, ct))
            .WithName("TopUpCredits")
            .WithSummary("Starts a Checkout payment for a number of credits at the tenant's credit price; they are credited when the payment completes.")
            .Accepts<TopUpBody>("application/json")
            .ProducesTopUpProblems()
            .RequireAuthorization(Policies.TenantUser);
    }

    private static async Task<Results<Ok<WalletResponse>, ProblemHttpResult>> GetWalletAsync(HttpContext http, WalletService wallets, IWalletSettingsSource settings, CancellationToken cancellationToken)
    {
        var tenant = TenantFilter.CurrentTenant(http);
        if (settings.Find(tenant.Id) is not { } configured)
        {
            return Problems.From(NotEnabled());
        }

        var balance = await wallets.GetBalanceAsync(new WalletKey(tenant.Id, Caller.Required(http), WalletKind.Money), cancellationToken);
        return TypedResults.Ok(new WalletResponse(balance.Balance, balance.Held, configured.Currency));
    }

    private static async Task<Results<Ok<WalletEntryListResponse>, ProblemHttpResult>> ListEntriesAsync(HttpContext http, IWalletStore store, IWalletSettingsSource settings, CancellationToken cancellationToken)
    {
        var tenant = TenantFilter.CurrentTenant(http);
        if (settings.Find(tenant.Id) is null)
        {
            return Problems.From(NotEnabled());
        }

        // The continuation is the sequence number of the last entry answered: entries before it come next.
        long? before = null;
        if (http.Request.Query.TryGetValue("continuation", out var raw) && raw.ToString().Length > 0)
        {
            if (!long.TryParse(raw.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return Problems.From(new Error(ErrorKind.Validation, "invalid_continuation", "The continuation is not one this endpoint returned."));
            }

            before = parsed;
        }

        var entries = await store.ListEntriesAsync(new WalletKey(tenant.Id, Caller.Required(http), WalletKind.Money), before, PageSize, cancellationToken);
        var next = entries.Count == PageSize && entries[^1].Sequence > 1 ? entries[^1].Sequence.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new WalletEntryListResponse([.. entries.Select(WalletEntryResponse.From)], next));
    }

    private static async Task<Results<Ok<CreditsResponse>, ProblemHttpResult>> GetCreditsAsync(HttpContext http, WalletService wallets, IWalletSettingsSource settings, CancellationToken cancellationToken)
    {
        var tenant = TenantFilter.CurrentTenant(http);
        if (settings.Find(tenant.Id)?.CreditPriceCents is null)
        {
            return Problems.From(Error.NotFound("credits_not_enabled", "This tenant does not sell credits."));
        }

        var balance = await wallets.GetBalanceAsync(new WalletKey(tenant.Id, Caller.Required(http), WalletKind.Credits), cancellationToken);
        return TypedResults.Ok(new CreditsResponse(balance.Available));
    }

    private static async Task<Results<Ok<CheckoutResponse>, ProblemHttpResult>> TopUpAsync(HttpContext http, StartWalletTopUp start, WalletKind kind, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<TopUpBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var quantity = kind == WalletKind.Money ? body.Value.AmountCents : body.Value.Credits;
        var session = await start.HandleAsync(TenantFilter.CurrentTenant(http), Caller.Required(http), kind, quantity, cancellationToken);
        return Problems.Map(session, s => TypedResults.Ok(new CheckoutResponse(s.Url, s.Id)));
    }

    private static Error NotEnabled() => Error.NotFound("wallets_not_enabled", "This tenant has no wallets.");

    private static RouteHandlerBuilder ProducesTopUpProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
}
