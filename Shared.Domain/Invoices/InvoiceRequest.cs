using Shared.Domain.Common;

namespace Shared.Domain.Invoices;

/// <summary>What <see cref="IInvoiceIssuer"/> is asked to invoice: the owner, the source (kind and its reference, e.g. a campaign id or a top-up id), the total in minor units and the lines that add up to it.</summary>
public sealed record InvoiceRequest(TenantId TenantId, UserId Owner, InvoiceSourceKind SourceKind, string SourceReference, long Amount, string Currency, IReadOnlyList<InvoiceLine> Lines);
