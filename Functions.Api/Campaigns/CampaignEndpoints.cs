using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;

namespace Functions.Api.Campaigns;

/// <summary>
/// D'Offers: shopkeepers' offers (theirs only), customers' pin codes and campaign consent, and campaigns paid from the
/// shopkeeper's wallet (202 + Location; the campaign-dispatch worker holds the cost once, sends in batches and settles
/// what was delivered).
/// </summary>
public static class CampaignEndpoints
{
    private const string OfferRoute = "/offers/{offer_id}";

    /// <summary>Optional on POST /campaigns: a retry under the same key answers the first campaign instead of creating a second.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void MapCampaigns(this RouteGroupBuilder v1)
    {
        v1.MapPost("/offers", CreateOfferAsync)
            .WithName("CreateOffer")
            .WithSummary("A shopkeeper's offer for some pin codes, valid from valid_from until valid_until.")
            .Accepts<OfferBody>("application/json")
            .Produces<OfferResponse>(StatusCodes.Status201Created)
            .ProducesBodyProblems()
            .RequireAuthorization(Policies.Shopkeeper);

        v1.MapPut(OfferRoute, UpdateOfferAsync)
            .WithName("UpdateOffer")
            .WithSummary("Replaces the offer's details (its shopkeeper only; anyone else's answers 404).")
            .Accepts<OfferBody>("application/json")
            .ProducesBodyProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.Shopkeeper);

        v1.MapDelete(OfferRoute, DeleteOfferAsync)
            .WithName("DeleteOffer")
            .WithSummary("Deletes the offer and its likes (its shopkeeper only).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.Shopkeeper);

        v1.MapGet("/offers", ListOffersAsync)
            .WithName("ListOffers")
            .WithSummary("Active offers of ?pin_code= (expired ones never shown), 50 a page; pass the returned continuation for the next.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost(OfferRoute + "/like", (string offer_id, HttpContext http, OfferCatalog offers, CancellationToken ct) => LikeAsync(offer_id, http, offers, true, ct))
            .WithName("LikeOffer")
            .WithSummary("Likes an active offer; once per customer (a repeat changes nothing).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapDelete(OfferRoute + "/like", (string offer_id, HttpContext http, OfferCatalog offers, CancellationToken ct) => LikeAsync(offer_id, http, offers, false, ct))
            .WithName("UnlikeOffer")
            .WithSummary("Takes the caller's like back (nothing if there was none).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPut("/customers/me/preferences", PutPreferencesAsync)
            .WithName("PutCustomerPreferences")
            .WithSummary("The caller's pin codes and whether they accept campaign messages per channel (in_app, push, whatsapp); withdrawn consent applies before the next batch of a running campaign.")
            .Accepts<PreferencesBody>("application/json")
            .ProducesBodyProblems()
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/customers/me/preferences", GetPreferencesAsync)
            .WithName("GetCustomerPreferences")
            .WithSummary("The caller's pin codes and campaign consent (none until set).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapPost("/campaigns", CreateCampaignAsync)
            .WithName("CreateCampaign")
            .WithSummary("Queues a campaign for one of the caller's offers (now, or at scheduled_at): 202 + Location. The worker holds its cost on the wallet, sends and charges what was delivered. With an Idempotency-Key header a retry answers the first campaign (another body under the same key: 409 idempotency_key_reused); a channel without a configured sender: 400 channel_unavailable.")
            .Accepts<CampaignBody>("application/json")
            .Produces<CampaignResponse>(StatusCodes.Status202Accepted)
            .ProducesBodyProblems()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Shopkeeper);

        v1.MapPost("/campaigns/estimate", EstimateAsync)
            .WithName("EstimateCampaign")
            .WithSummary("The audience (consenting customers of these pin codes) and cost a campaign would have now; nothing is held.")
            .Accepts<EstimateBody>("application/json")
            .ProducesBodyProblems()
            .RequireAuthorization(Policies.Shopkeeper);

        v1.MapGet("/campaigns/{campaign_id}", GetCampaignAsync)
            .WithName("GetCampaign")
            .WithSummary("The campaign's status and figures (its shopkeeper only).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.Shopkeeper);

        v1.MapPost("/campaigns/{campaign_id}/cancel", CancelCampaignAsync)
            .WithName("CancelCampaign")
            .WithSummary("Cancels a queued or dispatching campaign: nothing more is sent; what was delivered is charged, the rest released.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireAuthorization(Policies.Shopkeeper);
    }

    private static async Task<Results<Created<OfferResponse>, ProblemHttpResult>> CreateOfferAsync(HttpContext http, OfferCatalog offers, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<OfferBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await offers.CreateAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), Input(body.Value), cancellationToken);
        return Problems.Map(result, o => TypedResults.Created($"/api/v1/offers/{o.Id}", OfferResponse.From(o)));
    }

    private static async Task<Results<Ok<OfferResponse>, ProblemHttpResult>> UpdateOfferAsync(string offer_id, HttpContext http, OfferCatalog offers, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<OfferBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await offers.UpdateAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), offer_id, Input(body.Value), cancellationToken);
        return Problems.Map(result, o => TypedResults.Ok(OfferResponse.From(o)));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteOfferAsync(string offer_id, HttpContext http, OfferCatalog offers, CancellationToken cancellationToken)
    {
        var result = await offers.DeleteAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), offer_id, cancellationToken);
        return Problems.Map(result, _ => TypedResults.NoContent());
    }

    private static async Task<Results<Ok<OfferListResponse>, ProblemHttpResult>> ListOffersAsync(HttpContext http, OfferCatalog offers, CancellationToken cancellationToken)
    {
        var query = http.Request.Query;
        var result = await offers.ListAsync(TenantFilter.CurrentTenant(http).Id, query["pin_code"].ToString() is { Length: > 0 } pin ? pin : null, query["continuation"].ToString(), cancellationToken);
        return Problems.Map(result, page => TypedResults.Ok(new OfferListResponse([.. page.Items.Select(OfferResponse.From)], page.Continuation)));
    }

    private static async Task<Results<Ok<LikeResponse>, ProblemHttpResult>> LikeAsync(string offer_id, HttpContext http, OfferCatalog offers, bool like, CancellationToken cancellationToken)
    {
        var result = await offers.LikeAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), offer_id, like, cancellationToken);
        return Problems.Map(result, count => TypedResults.Ok(new LikeResponse(like, count)));
    }

    private static async Task<Results<Ok<PreferencesResponse>, ProblemHttpResult>> PutPreferencesAsync(HttpContext http, CustomerPreferenceService preferences, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<PreferencesBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var channels = body.Value.Channels;
        var result = await preferences.PutAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), body.Value.PinCodes, channels?.InApp, channels?.Push, channels?.Whatsapp, channels is not null, cancellationToken);
        return Problems.Map(result, p => TypedResults.Ok(PreferencesResponse.From(p)));
    }

    private static async Task<Ok<PreferencesResponse>> GetPreferencesAsync(HttpContext http, CustomerPreferenceService preferences, CancellationToken cancellationToken) =>
        TypedResults.Ok(PreferencesResponse.From(await preferences.GetAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), cancellationToken)));

    private static async Task<Results<Accepted<CampaignResponse>, ProblemHttpResult>> CreateCampaignAsync(HttpContext http, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<CampaignBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        IdempotencyKey? key = null;
        if (http.Request.Headers.TryGetValue(IdempotencyHeader, out var values))
        {
            if (!IdempotencyKey.TryCreate(values.ToString(), out var parsed, out var keyProblem))
            {
                return Problems.From(Error.Validation(IdempotencyHeader, keyProblem));
            }

            key = parsed;
        }

        var b = body.Value;
        var result = await campaigns.CreateAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), new CampaignInput(b.OfferId, b.PinCodes, b.Channels, b.ScheduledAt, b.Text), key, cancellationToken);
        return Problems.Map(result, c => TypedResults.Accepted($"/api/v1/campaigns/{c.Id}", CampaignResponse.From(c)));
    }

    private static async Task<Results<Ok<EstimateResponse>, ProblemHttpResult>> EstimateAsync(HttpContext http, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadAsync<EstimateBody>(http.Request, JsonBody.DefaultMaxBytes, cancellationToken);
        if (!body.IsSuccess)
        {
            return Problems.From(body.Error!);
        }

        var result = await campaigns.EstimateAsync(TenantFilter.CurrentTenant(http).Id, body.Value.PinCodes, body.Value.Channels, cancellationToken);
        return Problems.Map(result, e => TypedResults.Ok(new EstimateResponse(e.Audience, e.Messages, e.CostCents)));
    }

    private static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> GetCampaignAsync(string campaign_id, HttpContext http, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var result = await campaigns.GetAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), campaign_id, cancellationToken);
        return Problems.Map(result, c => TypedResults.Ok(CampaignResponse.From(c)));
    }

    private static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> CancelCampaignAsync(string campaign_id, HttpContext http, CampaignService campaigns, CancellationToken cancellationToken)
    {
        var result = await campaigns.CancelAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), campaign_id, cancellationToken);
        return Problems.Map(result, c => TypedResults.Ok(CampaignResponse.From(c)));
    }

    private static OfferInput Input(OfferBody body) => new(body.Title, body.Description, body.DiscountPercent, body.PinCodes, body.ValidFrom, body.ValidUntil);

    private static RouteHandlerBuilder ProducesBodyProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
}
