using System.Text.RegularExpressions;
using Functions.Api.Auth;
using Functions.Api.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Shared.Domain.Common;
using Shared.Domain.Invoices;

namespace Functions.Api.Invoices;

/// <summary>
/// The caller's invoices (top-ups and settled campaigns): a page at a time, or one by its number. Another user's
/// invoice, or one of another tenant, is 404 <c>invoice_not_found</c> like one that does not exist.
/// </summary>
public static partial class InvoiceEndpoints
{
    private const int PageSize = 50;

    public static void MapInvoices(this RouteGroupBuilder v1)
    {
        v1.MapGet("/invoices", ListAsync)
            .WithName("ListInvoices")
            .WithSummary("The caller's invoices, newest first, 50 a page; pass the returned continuation to get the next page.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .RequireAuthorization(Policies.TenantUser);

        v1.MapGet("/invoices/{number}", GetAsync)
            .WithName("GetInvoice")
            .WithSummary("One of the caller's invoices by its number (INV-YYYY-NNNNNN).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .RequireAuthorization(Policies.TenantUser);
    }

    private static async Task<Results<Ok<InvoiceListResponse>, ProblemHttpResult>> ListAsync(HttpContext http, IInvoiceStore store, CancellationToken cancellationToken)
    {
        // The continuation is the order key of the last invoice answered (year and sequence, fixed width).
        string? before = null;
        if (http.Request.Query.TryGetValue("continuation", out var raw) && raw.ToString().Length > 0)
        {
            if (!OrderKey().IsMatch(raw.ToString()))
            {
                return Problems.From(new Error(ErrorKind.Validation, "invalid_continuation", "The continuation is not one this endpoint returned."));
            }

            before = raw.ToString();
        }

        var invoices = await store.ListAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), before, PageSize, cancellationToken);
        var next = invoices.Count == PageSize ? invoices[^1].OrderKey : null;
        return TypedResults.Ok(new InvoiceListResponse([.. invoices.Select(InvoiceResponse.From)], next));
    }

    private static async Task<Results<Ok<InvoiceResponse>, ProblemHttpResult>> GetAsync(HttpContext http, string number, IInvoiceStore store, CancellationToken cancellationToken)
    {
        var notFound = Problems.From(Error.NotFound("invoice_not_found", "No such invoice of yours."));
        if (!Number().IsMatch(number))
        {
            return notFound; // never a store read for a malformed number
        }

        var invoice = await store.GetAsync(TenantFilter.CurrentTenant(http).Id, number, cancellationToken);
        return invoice is not null && invoice.OwnerId == Caller.Required(http).Value ? TypedResults.Ok(InvoiceResponse.From(invoice)) : notFound;
    }

    [GeneratedRegex("^[0-9]{16}$")]
    private static partial Regex OrderKey();

    [GeneratedRegex("^INV-[0-9]{4}-[0-9]{6,12}$")]
    private static partial Regex Number();
}
