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

    private static async Task<Results<Ok<InvoiceListResponse>, ProblemHttpResult>> ListAsync(HttpContext http, InvoiceHistory history, CancellationToken cancellationToken)
    {
        var continuation = ContinuationQuery.Text(http.Request);
        if (!continuation.IsSuccess)
        {
            return Problems.From(continuation.Error!);
        }

        var page = await history.ListAsync(TenantFilter.CurrentTenant(http).Id, Caller.Required(http), continuation.Value, cancellationToken);
        return Problems.Map(page, p => TypedResults.Ok(new InvoiceListResponse([.. p.Items.Select(InvoiceResponse.From)], p.Continuation)));
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

    [GeneratedRegex("^INV-[0-9]{4}-[0-9]{6,12}$")]
    private static partial Regex Number();
}
