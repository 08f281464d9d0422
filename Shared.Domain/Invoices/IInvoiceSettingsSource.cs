using Shared.Domain.Common;

namespace Shared.Domain.Invoices;

/// <summary>Each tenant's tax on invoices; null when invoices carry no tax (the default).</summary>
public interface IInvoiceSettingsSource
{
    InvoiceTax? FindTax(TenantId tenantId);
}
