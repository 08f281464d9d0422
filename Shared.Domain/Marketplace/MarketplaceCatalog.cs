using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Marketplace;

/// <summary>
/// Creating, editing, deleting and moderating items, and reading one. New items wait for an admin's verification unless
/// the tenant auto-publishes; an edit of a published item sends it back to verification too (what users install must
/// be what an admin saw). Pending and hidden items are visible to their creator and admins only; a deleted item only to
/// admins and users who installed or bought it (they keep it). <c>purchased</c> is an active entitlement.
/// </summary>
public sealed class MarketplaceCatalog(IMarketplaceStore store, IMarketplaceSalesStore sales, IUserDirectory users, IQuotaStore quotas, TimeProvider time)
{
    private const int EditAttempts = 5;

    public IReadOnlyList<string> Categories(Tenant tenant) => tenant.Marketplace.Categories;

    public async Task<Result<ItemView>> CreateAsync(Tenant tenant, MarketplaceCaller caller, ItemInput input, CancellationToken cancellationToken)
    {
        if (!await MayPublishAsync(tenant, caller, cancellationToken))
        {
            return MarketplaceErrors.CreatorRequired;
        }

        var details = ItemDetailsRules.Validate(input.Title, input.Description, input.Kind, input.Categories, input.PriceCents, input.Currency, input.AssetRef, tenant.Marketplace);
        if (!details.IsSuccess)
        {
            return details.Error!;
        }

        var now = time.GetUtcNow();
        var item = new MarketplaceItem
        {
            Id = Guid.CreateVersion7(now).ToString("D"),
            TenantId = tenant.Id,
            CreatorId = caller.Id,
            Details = details.Value,
            Status = tenant.Marketplace.AutoPublish ? ItemStatus.Published : ItemStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await store.CreateAsync(item, cancellationToken);
        return await ViewAsync(item, false, cancellationToken);
    }

    public Task<Result<ItemView>> UpdateAsync(Tenant tenant, MarketplaceCaller caller, string itemId, ItemInput input, CancellationToken cancellationToken)
    {
        var details = ItemDetailsRules.Validate(input.Title, input.Description, input.Kind, input.Categories, input.PriceCents, input.Currency, input.AssetRef, tenant.Marketplace);
        if (!details.IsSuccess)
        {
            return Task.FromResult<Result<ItemView>>(details.Error!);
        }

        return EditAsync(tenant, caller, itemId, ownerOnly: true, (item, now) => item with
        {
            Details = details.Value,
            Status = item.Status == ItemStatus.Hidden ? ItemStatus.Hidden : tenant.Marketplace.AutoPublish ? ItemStatus.Published : ItemStatus.Pending,
            Verified = false,
            UpdatedAt = now,
        }, cancellationToken);
    }

    public async Task<Result<bool>> DeleteAsync(Tenant tenant, MarketplaceCaller caller, string itemId, CancellationToken cancellationToken)
    {
        var result = await EditAsync(tenant, caller, itemId, ownerOnly: true, (item, now) => item with { DeletedAt = now, UpdatedAt = now }, cancellationToken);
        return result.IsSuccess ? true : result.Error!;
    }

    public Task<Result<ItemView>> ModerateAsync(Tenant tenant, MarketplaceCaller admin, string itemId, ModerationAction action, CancellationToken cancellationToken) =>
        EditAsync(tenant, admin, itemId, ownerOnly: false, (item, now) => action switch
        {
            ModerationAction.Verify => item with { Status = item.Status == ItemStatus.Hidden ? ItemStatus.Hidden : ItemStatus.Published, Verified = true, UpdatedAt = now },
            ModerationAction.Hide => item with { Status = ItemStatus.Hidden, UpdatedAt = now },
            _ => item with { Status = item.Verified || tenant.Marketplace.AutoPublish ? ItemStatus.Published : ItemStatus.Pending, UpdatedAt = now },
        }, cancellationToken);

    public async Task<Result<ItemView>> GetAsync(Tenant tenant, MarketplaceCaller caller, string itemId, CancellationToken cancellationToken)
    {
        var item = MarketplaceErrors.IsItemId(itemId) ? await store.GetAsync(tenant.Id, itemId, cancellationToken) : null;
        if (item is null)
        {
            return MarketplaceErrors.ItemNotFound;
        }

        var installed = await store.HasInstalledAsync(tenant.Id, itemId, caller.Id, cancellationToken);
        var purchased = !item.Details.IsFree && await sales.GetEntitlementAsync(tenant.Id, itemId, caller.Id, cancellationToken) is { IsActive: true }; // nothing to buy: no read
        return CanSee(item, caller, installed || purchased) ? await ViewAsync(item, installed, cancellationToken, purchased) : MarketplaceErrors.ItemNotFound;
    }

    public static bool CanSee(MarketplaceItem item, MarketplaceCaller caller, bool installed) =>
        caller.IsAdmin || installed || (!item.IsDeleted && (item.Status == ItemStatus.Published || item.CreatorId == caller.Id));

    private async Task<Result<ItemView>> EditAsync(Tenant tenant, MarketplaceCaller caller, string itemId, bool ownerOnly, Func<MarketplaceItem, DateTimeOffset, MarketplaceItem> change, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < EditAttempts; attempt++)
        {
            var item = MarketplaceErrors.IsItemId(itemId) ? await store.GetAsync(tenant.Id, itemId, cancellationToken) : null;
            if (item is null || item.IsDeleted || !CanSee(item, caller, installed: false))
            {
                return MarketplaceErrors.ItemNotFound;
            }

            if (ownerOnly && item.CreatorId != caller.Id)
            {
                return MarketplaceErrors.NotItemCreator;
            }

            var changed = change(item, time.GetUtcNow()) with { DetailsVersion = item.DetailsVersion + 1 };
            if (await store.TrySaveDetailsAsync(changed, item.DetailsVersion, cancellationToken))
            {
                return await ViewAsync(changed, false, cancellationToken);
            }
        }

        return MarketplaceErrors.EditConflict;
    }

    private async Task<bool> MayPublishAsync(Tenant tenant, MarketplaceCaller caller, CancellationToken cancellationToken)
    {
        if (caller.IsCreator || caller.IsAdmin)
        {
            return true;
        }

        if (!tenant.Marketplace.PremiumCreators)
        {
            return false;
        }

        // Premium: any plan but the tenant's default (free) one, as the user's quota account says.
        var account = await quotas.GetAsync(tenant.Id, caller.Id, cancellationToken);
        return account is not null && tenant.FindPlan(account.PlanId) is { IsDefault: false };
    }

    private async Task<ItemView> ViewAsync(MarketplaceItem item, bool installed, CancellationToken cancellationToken, bool purchased = false)
    {
        var creator = await users.GetAsync(item.TenantId, item.CreatorId, cancellationToken);
        return new ItemView(item, creator?.DisplayName, installed, purchased);
    }
}
