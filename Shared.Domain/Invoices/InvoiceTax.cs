namespace Shared.Domain.Invoices;

/// <summary>
/// A tenant's tax on its invoices (configuration <c>Invoices:Tax:{tenant}</c>; none by default): the tax's name (e.g.
/// GST), its rate in basis points (1800 = 18 %) and the seller's tax id (GSTIN for India). Amounts charged are taken to
/// include the tax (the customer pays the price shown), so an invoice splits its total into net and tax.
/// </summary>
public sealed record InvoiceTax(string Name, int RateBasisPoints, string? SellerTaxId)
{
    /// <summary>The tax inside <paramref name="total"/>, rounded half up to a minor unit: total × rate / (10000 + rate).</summary>
    public long TaxIn(long total) => ((total * RateBasisPoints) + ((10_000 + RateBasisPoints) / 2)) / (10_000 + RateBasisPoints);
}
