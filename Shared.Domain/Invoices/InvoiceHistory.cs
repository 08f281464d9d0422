using Shared.Domain.Common;

namespace Shared.Domain.Invoices;

/// <summary>
/// An owner's invoices a page at a time, newest first. The continuation is opaque (<see cref="ContinuationText"/> of
/// the last invoice's order key, versioned <c>i1:</c>); one this list did not issue is 400 <c>invalid_continuation</c>
/// and never reaches the store.
/// </summary>
public sealed class InvoiceHistory(IInvoiceStore store)
{
    public const int PageSize = 50;
    private const string Version = "i1:";

    public async Task<Result<InvoicePage>> ListAsync(TenantId tenantId, UserId owner, string? continuation, CancellationToken cancellationToken)
    {
        string? before = null;
        if (continuation is { Length: > 0 })
        {
            if (!TryReadContinuation(continuation, out var orderKey))
            {
                return ContinuationText.Invalid;
            }

            before = orderKey;
        }

        // One extra row tells whether a next page exists, so a last page that happens to be full ends the list.
        var rows = await store.ListAsync(tenantId, owner, before, PageSize + 1, cancellationToken);
        var page = rows.Take(PageSize).ToList();
        return new InvoicePage(page, rows.Count > PageSize ? ContinuationText.Encode(Version + page[^1].OrderKey) : null);
    }

    private static bool TryReadContinuation(string token, out string orderKey)
    {
        orderKey = "";
        if (token.Length > 64 || !ContinuationText.TryDecode(token, out var text) || !text.StartsWith(Version, StringComparison.Ordinal))
        {
            return false;
        }

        var key = text[Version.Length..];
        if (key.Length != 16 || !key.All(char.IsAsciiDigit))
        {
            return false;
        }

        orderKey = key;
        return true;
    }
}
