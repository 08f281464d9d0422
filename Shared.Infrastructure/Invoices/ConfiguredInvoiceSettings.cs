using Microsoft.Extensions.Configuration;
using Shared.Domain.Common;
using Shared.Domain.Invoices;

namespace Shared.Infrastructure.Invoices;

/// <summary>
/// Invoice tax per tenant from configuration: <c>Invoices:Tax:{tenantId}:Name</c> (e.g. GST),
/// <c>…:RateBasisPoints</c> (1800 = 18 %) and <c>…:SellerTaxId</c> (the seller's GSTIN). A tenant without a section has
/// no tax on its invoices. Checked at start-up: a name with a rate from 1 to 10000 basis points.
/// </summary>
public sealed class ConfiguredInvoiceSettings : IInvoiceSettingsSource
{
    private readonly Dictionary<string, InvoiceTax> _taxes = new(StringComparer.Ordinal);

    public ConfiguredInvoiceSettings(IConfiguration configuration)
    {
        foreach (var tenant in configuration.GetSection("Invoices:Tax").GetChildren())
        {
            var name = tenant["Name"];
            if (string.IsNullOrWhiteSpace(name) || !int.TryParse(tenant["RateBasisPoints"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var rate) || rate is < 1 or > 10_000)
            {
                throw new InvalidOperationException($"Invoices:Tax:{tenant.Key} needs a Name and RateBasisPoints from 1 to 10000.");
            }

            _taxes[tenant.Key] = new InvoiceTax(name, rate, tenant["SellerTaxId"] is { Length: > 0 } id ? id : null);
        }
    }

    public InvoiceTax? FindTax(TenantId tenantId) => _taxes.GetValueOrDefault(tenantId.Value);
}
