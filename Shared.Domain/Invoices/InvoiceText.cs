namespace Shared.Domain.Invoices;

/// <summary>The stable text of <see cref="InvoiceSourceKind"/>, as stored and answered.</summary>
public static class InvoiceText
{
    public static string Format(InvoiceSourceKind kind) => kind switch
    {
        InvoiceSourceKind.TopUp => "top_up",
        InvoiceSourceKind.Campaign => "campaign",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static InvoiceSourceKind Parse(string text) => text switch
    {
        "top_up" => InvoiceSourceKind.TopUp,
        "campaign" => InvoiceSourceKind.Campaign,
        _ => throw new FormatException($"Unknown invoice source kind '{text}'."),
    };
}
