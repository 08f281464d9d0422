using System.Text.Json;
using Shared.Domain.Invoices;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Invoices;

/// <summary>An invoice's lines as stored (snake_case JSON, the wire's names).</summary>
internal static class InvoiceJson
{
    public static string Lines(IReadOnlyList<InvoiceLine> lines) => JsonSerializer.Serialize(lines, WireJson.Options);

    public static IReadOnlyList<InvoiceLine> Lines(string json) => JsonSerializer.Deserialize<List<InvoiceLine>>(json, WireJson.Options) ?? [];
}
