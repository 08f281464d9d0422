namespace Shared.Domain.Invoices;

/// <summary>What an invoice is for; stored and answered as <c>top_up</c> or <c>campaign</c>.</summary>
public enum InvoiceSourceKind
{
    TopUp,
    Campaign,
}
