namespace Functions.Api.Marketplace;

/// <summary>
/// <c>GET /creators/me/earnings</c>: a page of entries (newest first), the totals per currency over all entries (minor
/// units, sales minus reversals; on the first page only, null on the pages a continuation asks for), and the
/// continuation of the list (null on the last page).
/// </summary>
public sealed record EarningsResponse(IReadOnlyList<EarningsItemResponse> Items, IReadOnlyDictionary<string, long>? Totals, string? Continuation);
