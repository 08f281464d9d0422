using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>The marketplace's expected failures, with their stable codes.</summary>
public static class MarketplaceErrors
{
    public static Error ItemNotFound { get; } = Error.NotFound("item_not_found", "No such item.");

    public static Error CreatorRequired { get; } = new(ErrorKind.Forbidden, "creator_required", "Publishing needs the creator role (or, where the tenant allows it, a premium plan).");

    public static Error NotItemCreator { get; } = new(ErrorKind.Forbidden, "not_item_creator", "Only the item's creator may change it.");

    public static Error OwnItem { get; } = new(ErrorKind.Forbidden, "own_item", "Creators cannot install or rate their own items.");

    public static Error PurchaseRequired { get; } = new(ErrorKind.PaymentRequired, "purchase_required", "This item is paid: buy it before installing it.");

    public static Error InstallRequired { get; } = new(ErrorKind.Forbidden, "install_required", "Only users who installed the item may rate it.");

    public static Error EditConflict { get; } = new(ErrorKind.Conflict, "edit_conflict", "The item was changed at the same time; try again.");

    public static Error InvalidContinuation { get; } = Error.Validation("continuation", "Not a continuation token of this search.");

    /// <summary>Item ids are GUIDs in their 36-character lower-case form; anything else names no item.</summary>
    public static bool IsItemId(string? id) => id is { Length: 36 } && Guid.TryParseExact(id, "D", out var g) && g.ToString("D") == id;
}
