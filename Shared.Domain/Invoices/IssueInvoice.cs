using Shared.Domain.Common;

namespace Shared.Domain.Invoices;

/// <summary>
/// The <see cref="IInvoiceIssuer"/> use case: checks the request (a positive amount the lines add up to, a three-letter
/// currency, a printable source reference), splits the total into net and the tenant's tax (<see cref="InvoiceTax"/>;
/// none by default), stamps it with the injected clock and has the store number and keep it.
/// </summary>
public sealed class IssueInvoice(IInvoiceStore store, IInvoiceSettingsSource settings, TimeProvider time) : IInvoiceIssuer
{
    public const int MaxReferenceLength = 200;
    public const int MaxLines = 100;

    public async Task<Result<Invoice>> IssueAsync(InvoiceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.SourceReference) || request.SourceReference.Length > MaxReferenceLength || request.SourceReference.Any(char.IsControl))
        {
            return Error.Validation("source_reference", $"1 to {MaxReferenceLength} printable characters.");
        }

        if (request.Currency is not { Length: 3 } || !request.Currency.All(char.IsAsciiLetterUpper))
        {
            return Error.Validation("currency", "A three-letter ISO 4217 code in capitals.");
        }

        if (request.Amount <= 0 || request.Amount > 999_999_999_999)
        {
            return Error.Validation("amount", "From 1 to 999,999,999,999 minor units.");
        }

        if (request.Lines is not { Count: > 0 and <= MaxLines }
            || request.Lines.Any(l => string.IsNullOrWhiteSpace(l.Description) || l.Description.Length > 200 || l.Quantity <= 0 || l.UnitAmount < 0 || l.Amount != l.Quantity * l.UnitAmount)
            || request.Lines.Sum(l => l.Amount) != request.Amount)
        {
            return Error.Validation("lines", $"1 to {MaxLines} lines of quantity × unit amount that add up to the amount.");
        }

        var tax = settings.FindTax(request.TenantId);
        var taxAmount = tax?.TaxIn(request.Amount) ?? 0;
        var draft = new InvoiceDraft(
            request.TenantId.Value, request.Owner.Value, request.SourceKind, request.SourceReference, request.Currency,
            request.Amount - taxAmount, taxAmount, request.Amount, tax?.Name, tax?.RateBasisPoints ?? 0, tax?.SellerTaxId, request.Lines, time.GetUtcNow());
        var (invoice, _) = await store.IssueAsync(draft, cancellationToken);
        return invoice;
    }
}
