using Shared.Domain.Common;

namespace Shared.Domain.Invoices;

/// <summary>
/// Issues the invoice of a settled campaign or a top-up, once per source: calling it again for the same (tenant, source
/// kind, source reference) answers the invoice issued first. Campaign settlement calls it after the settlement is
/// written (a retry of the settlement then issues it if the first attempt stopped in between).
/// </summary>
public interface IInvoiceIssuer
{
    Task<Result<Invoice>> IssueAsync(InvoiceRequest request, CancellationToken cancellationToken);
}
