using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Domain.Privacy;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Marketplace;

/// <summary>
/// Purchases on both stores, through the webhook use case: concurrent repeats and a refund racing its completion stay
/// exact, and the buyer's and creator's data are exported and erased (entitlements deleted, payment records kept
/// de-identified, so a replayed event after the erasure grants and records nothing).
/// </summary>
public abstract class MarketplacePurchaseScenarios
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<StoreSet> StoreAsync(TimeProvider? time = null);

    private static Tenant TenantOf() =>
        new(Alpha, "T alpha", [new Plan(PlanId.Parse("free"), "Free", new Allowance(10, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], "https://alpha.example/u?{link_token}")
        {
            Marketplace = new MarketplaceSettings { AutoPublish = true, PlatformFeeBasisPoints = 1_250 },
        };

    private static async Task<(MarketplaceItem Item, Dictionary<string, string> Metadata, UserId Buyer)> PaidItemAsync(StoreSet store, Tenant tenant)
    {
        var creator = new MarketplaceCaller(UserId.New(), true, false);
        var created = await store.Get<MarketplaceCatalog>().CreateAsync(tenant, creator, new ItemInput("Paid pack", "Words", "bundle", ["writing"], 1_001, "USD", null), default);
        Assert.True(created.IsSuccess, created.Error?.Code);
        var buyer = UserId.New();
        return (created.Value.Item, MarketplacePayments.Metadata(Alpha, buyer, Guid.NewGuid().ToString("D"), created.Value.Item, tenant.Marketplace.PlatformFeeBasisPoints), buyer);
    }

    private static CheckoutCompleted Completed(Dictionary<string, string> metadata, long paid = 1_001) =>
        new("evt_" + Guid.NewGuid().ToString("N"), Now, metadata, "cs_test_1", "payment", null, null, metadata["user_id"], "paid", new Money(paid, "USD"));

    private static ChargeRefunded Refunded(Dictionary<string, string> metadata) =>
        new("evt_" + Guid.NewGuid().ToString("N"), Now, metadata, "ch_test_1", null, new Money(1_001, "USD"));

    [StoreFact]
    public async Task Ten_concurrent_completions_racing_three_refunds_end_revoked_with_one_sale_and_one_reversal()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf();
        var (item, metadata, buyer) = await PaidItemAsync(store, tenant);
        var apply = store.Get<ApplyMarketplacePurchase>();

        var completions = Enumerable.Range(0, 10).Select(_ => Task.Run(() => apply.HandleAsync(tenant, Completed(metadata), default)));
        var refunds = Enumerable.Range(0, 3).Select(_ => Task.Run(() => apply.HandleAsync(tenant, Refunded(metadata), default)));
        var outcomes = await Task.WhenAll(completions.Concat(refunds));

        Assert.All(outcomes, o => Assert.True(o.IsSuccess, o.Error?.Detail));
        Assert.Equal(2, outcomes.Count(o => o.Value == WebhookOutcome.Applied)); // one completion, one refund
        var sales = store.Get<IMarketplaceSalesStore>();
        Assert.False((await sales.GetEntitlementAsync(Alpha, item.Id, buyer, default))?.IsActive ?? false);
        var page = await sales.ListEarningsAsync(Alpha, item.CreatorId, 10, null, default);

        // 12.5 % fee: 1,001 × 0.875 = 875.875, rounded down to 875.
        Assert.Equal([-875L, 875L], page.Items.Select(e => e.AmountCents).Order().ToArray());
        Assert.Equal(0, (await sales.EarningsTotalsAsync(Alpha, item.CreatorId, default))["USD"]);
    }

    [StoreFact]
    public async Task A_paid_purchase_is_exported_and_erased_and_a_replay_after_the_erasure_changes_nothing()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf();
        var (item, metadata, buyer) = await PaidItemAsync(store, tenant);
        var apply = store.Get<ApplyMarketplacePurchase>();
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Completed(metadata), default)).Value);
        var sales = store.Get<IMarketplaceSalesStore>();
        Assert.True((await sales.GetEntitlementAsync(Alpha, item.Id, buyer, default))!.IsActive);

        var section = store.Get<IEnumerable<IPersonalDataStore>>().Single(s => s.Section == "marketplace");
        var buyerExport = await section.ExportAsync(Alpha, buyer, default);
        Assert.Equal(["entitlement", "purchase"], buyerExport.Records.Select(r => r.Kind).Order(StringComparer.Ordinal).ToArray());
        var creatorExport = await section.ExportAsync(Alpha, item.CreatorId, default);
        Assert.Contains(creatorExport.Records, r => r.Kind == "earning");
        Assert.Contains(creatorExport.Records, r => r.Kind == "sale");

        await section.EraseAsync(Alpha, buyer, default);
        Assert.Empty((await section.ExportAsync(Alpha, buyer, default)).Records);
        Assert.Null(await sales.GetEntitlementAsync(Alpha, item.Id, buyer, default));
        var replay = await apply.HandleAsync(tenant, Completed(metadata), default);
        Assert.Equal(WebhookOutcome.Duplicate, replay.Value); // the de-identified purchase is still found done
        Assert.Null(await sales.GetEntitlementAsync(Alpha, item.Id, buyer, default));
        Assert.Single((await sales.ListEarningsAsync(Alpha, item.CreatorId, 10, null, default)).Items);

        await section.EraseAsync(Alpha, item.CreatorId, default);
        Assert.Empty((await sales.ListEarningsAsync(Alpha, item.CreatorId, 10, null, default)).Items);
        var pseudonym = ErasedUserKey.PseudonymOf(Alpha, item.CreatorId);
        Assert.Equal(875, Assert.Single((await sales.ListEarningsAsync(Alpha, pseudonym, 10, null, default)).Items).AmountCents);
    }
}
