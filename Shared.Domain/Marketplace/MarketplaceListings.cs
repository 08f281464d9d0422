using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Marketplace;

/// <summary>
/// The lists search does not give: a creator's own items in any status (<see cref="MineAsync"/>) and the admins' queue
/// of the tenant's items by status (<see cref="QueueAsync"/>; pending unless asked otherwise). Deleted items are in
/// neither. Newest first by (creation time, id) with keyset continuations bound to the list and its status filter, so an
/// item comes once while a client pages (items created meanwhile sort before the cursor and are not mixed in; an item
/// whose status changes meanwhile may enter or leave a status-filtered list).
/// </summary>
public sealed class MarketplaceListings(IMarketplaceStore store, IUserDirectory users, MarketplaceOptions options)
{
    public static Error InvalidStatus { get; } = new(ErrorKind.Validation, "invalid_status", "status must be one of pending, published, hidden.");

    /// <param name="continuation">The list's cursor text as <see cref="ContinuationText"/> decoded it (null: the first page).</param>
    public Task<Result<ItemSearchPage>> MineAsync(Tenant tenant, MarketplaceCaller caller, string? status, int? limit, string? continuation, CancellationToken cancellationToken) =>
        ListAsync(tenant, "me:" + caller.Id.Value, caller.Id, status, null, limit, continuation, cancellationToken);

    /// <summary>Admins only (the endpoint's policy checks the stored role): every creator's items of the tenant.</summary>
    public Task<Result<ItemSearchPage>> QueueAsync(Tenant tenant, string? status, int? limit, string? continuation, CancellationToken cancellationToken) =>
        ListAsync(tenant, "admin", null, status, ItemStatus.Pending, limit, continuation, cancellationToken);

    private async Task<Result<ItemSearchPage>> ListAsync(Tenant tenant, string scope, UserId? creator, string? statusText, ItemStatus? defaultStatus, int? limit, string? continuation, CancellationToken cancellationToken)
    {
        var max = limit ?? options.PageSizeDefault;
        if (max < 1 || max > options.PageSizeMax)
        {
            return Error.Validation("limit", $"Between 1 and {options.PageSizeMax}.");
        }

        var status = defaultStatus;
        if (statusText is not null)
        {
            if (statusText is not ("pending" or "published" or "hidden"))
            {
                return InvalidStatus;
            }

            status = MarketplaceText.ParseStatus(statusText);
        }

        var filter = scope + "|" + (status is { } s ? MarketplaceText.Format(s) : "*");
        long? afterMs = null;
        string? afterId = null;
        if (continuation is not null)
        {
            // The cursor is bound to its list (whose items, which status): another list's or a forged one is refused.
            if (continuation.Split('|') is not ["l1", var listScope, var listStatus, var at, var id]
                || listScope + "|" + listStatus != filter
                || !long.TryParse(at, NumberStyles.None, CultureInfo.InvariantCulture, out var atMs)
                || !MarketplaceErrors.IsItemId(id))
            {
                return ContinuationText.Invalid;
            }

            (afterMs, afterId) = (atMs, id);
        }

        var found = (await store.ListAsync(tenant.Id, new ItemListing { CreatorId = creator, Status = status, AfterCreatedMs = afterMs, AfterId = afterId, Limit = max + 1 }, cancellationToken)).ToList();
        string? next = null;
        if (found.Count > max)
        {
            found.RemoveRange(max, found.Count - max);
            var last = found[^1];
            next = ContinuationText.Encode(string.Create(CultureInfo.InvariantCulture, $"l1|{filter}|{last.CreatedAt.ToUnixTimeMilliseconds()}|{last.Id}"));
        }

        var names = await DisplayNames.ReadAsync(users, tenant.Id, found.Select(i => i.CreatorId), cancellationToken);
        return new ItemSearchPage([.. found.Select(i => new ItemView(i, names[i.CreatorId], Installed: false, Purchased: false))], next);
    }
}
