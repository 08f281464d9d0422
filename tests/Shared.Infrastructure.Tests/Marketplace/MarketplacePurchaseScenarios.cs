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

    private static ChargeRefunded Refunded(Dictionary<string, string> metadata, long refunded = 1_001) =>
        new("evt_" + Guid.NewGuid().ToString("N"), Now, metadata, "ch_test_1", null, new Money(refunded, "USD"));

    private static Dictionary<string, string> AnotherPurchase(Dictionary<string, string> metadata) =>
        new(metadata, StringComparer.Ordinal) { [MarketplacePayments.PurchaseKey] = Guid.NewGuid().ToString("D") };

    /// <summary>The creator's earnings entries are exactly these amounts (in ascending order).</summary>
    private static async Task AssertAmountsAsync(StoreSet store, UserId creator, params long[] expected)
    {
        var page = await store.Get<IMarketplaceSalesStore>().ListEarningsAsync(Alpha, creator, 50, null, default);
        Assert.Equal(expected, page.Items.Select(e => e.AmountCents).Order().ToArray());
    }

    private static async Task<bool> EntitledAsync(StoreSet store, string itemId, UserId buyer) =>
        (await store.Get<IMarketplaceSalesStore>().GetEntitlementAsync(Alpha, itemId, buyer, default))?.IsActive ?? false;

    [StoreFact]
    public async Task Two_paid_purchases_of_one_item_keep_the_buyer_entitled_until_both_are_refunded()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf();
        var (item, first, buyer) = await PaidItemAsync(store, tenant);
        var second = AnotherPurchase(first);
        var apply = store.Get<ApplyMarketplacePurchase>();

        // Both sessions paid (the second one concurrently with the first's completion): both sales recorded.
        var paid = await Task.WhenAll(Task.Run(() => apply.HandleAsync(tenant, Completed(first), default)), Task.Run(() => apply.HandleAsync(tenant, Completed(second), default)));
        Assert.All(paid, o => Assert.Equal(WebhookOutcome.Applied, o.Value));
        Assert.True(await EntitledAsync(store, item.Id, buyer));

        // Refunding either one (here the one that granted it, whichever that was) leaves the other paying for the item.
        var holder = (await store.Get<IMarketplaceSalesStore>().GetEntitlementAsync(Alpha, item.Id, buyer, default))!.PurchaseId;
        var (refundedFirst, refundedLast) = holder == first[MarketplacePayments.PurchaseKey] ? (first, second) : (second, first);
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Refunded(refundedFirst), default)).Value);
        Assert.True(await EntitledAsync(store, item.Id, buyer));
        Assert.Equal(refundedLast[MarketplacePayments.PurchaseKey], (await store.Get<IMarketplaceSalesStore>().GetEntitlementAsync(Alpha, item.Id, buyer, default))!.PurchaseId);

        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Refunded(refundedLast), default)).Value);
        Assert.False(await EntitledAsync(store, item.Id, buyer));
        await AssertAmountsAsync(store, item.CreatorId, -875, -875, 875, 875);
    }

    [StoreFact]
    public async Task Partial_refunds_reverse_the_share_of_each_cumulative_increase_once_and_only_a_full_refund_revokes()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf();
        var (item, metadata, buyer) = await PaidItemAsync(store, tenant);
        var apply = store.Get<ApplyMarketplacePurchase>();
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Completed(metadata), default)).Value);

        // 1 of 1,001 refunded: 875 × 1 / 1,001 rounds down to 0, so no entry yet; still entitled.
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Refunded(metadata, 1), default)).Value);
        await AssertAmountsAsync(store, item.CreatorId, 875);

        // 500 cumulative, delivered three times at once: 875 × 500 / 1,001 = 437.06 → 437 reversed once.
        var at500 = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => apply.HandleAsync(tenant, Refunded(metadata, 500), default))));
        Assert.Equal(1, at500.Count(o => o.Value == WebhookOutcome.Applied));
        await AssertAmountsAsync(store, item.CreatorId, -437, 875);
        Assert.True(await EntitledAsync(store, item.Id, buyer));

        // An older, smaller cumulative amount arriving late changes nothing.
        Assert.Equal(WebhookOutcome.Duplicate, (await apply.HandleAsync(tenant, Refunded(metadata, 300), default)).Value);
        await AssertAmountsAsync(store, item.CreatorId, -437, 875);

        // The rest: exactly the remaining 438, and only now is the item taken back.
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Refunded(metadata, 1_001), default)).Value);
        await AssertAmountsAsync(store, item.CreatorId, -438, -437, 875);
        Assert.False(await EntitledAsync(store, item.Id, buyer));
        Assert.Equal(0, (await store.Get<IMarketplaceSalesStore>().EarningsTotalsAsync(Alpha, item.CreatorId, default))["USD"]);
        Assert.Equal(WebhookOutcome.Duplicate, (await apply.HandleAsync(tenant, Refunded(metadata, 1_001), default)).Value);

        // More than the price, or another currency, is refused.
        Assert.False((await apply.HandleAsync(tenant, Refunded(metadata, 1_002), default)).IsSuccess);

        // The creator pages through the ledger one entry at a time: partial reversals' ids continue like the others.
        var earnings = store.Get<CreatorEarnings>();
        var creator = new MarketplaceCaller(item.CreatorId, true, false);
        var seen = new List<long>();
        string? continuation = null;
        for (var page = 0; page < 5; page++)
        {
            var statement = await earnings.ListAsync(tenant, creator, 1, continuation, default);
            Assert.True(statement.IsSuccess, statement.Error?.Detail);
            seen.AddRange(statement.Value.Items.Select(e => e.AmountCents));
            continuation = statement.Value.Continuation;
            if (continuation is null)
            {
                break;
            }
        }

        Assert.Equal([-438L, -437L, 875L], seen.Order().ToArray());
    }

    [StoreFact]
    public async Task A_partial_refund_seen_before_the_completion_is_reversed_with_the_sale_and_leaves_the_buyer_entitled()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf();
        var (item, metadata, buyer) = await PaidItemAsync(store, tenant);
        var apply = store.Get<ApplyMarketplacePurchase>();

        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Refunded(metadata, 100), default)).Value);
        await AssertAmountsAsync(store, item.CreatorId);
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Completed(metadata), default)).Value);

        // 875 × 100 / 1,001 = 87.41 → 87.
        await AssertAmountsAsync(store, item.CreatorId, -87, 875);
        Assert.True(await EntitledAsync(store, item.Id, buyer));
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Refunded(metadata, 1_001), default)).Value);
        await AssertAmountsAsync(store, item.CreatorId, -788, -87, 875);
        Assert.False(await EntitledAsync(store, item.Id, buyer));
    }

    [StoreFact]
    public async Task A_buyer_whose_purchase_was_refunded_can_no_longer_rate_the_item()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf();
        var (item, metadata, buyer) = await PaidItemAsync(store, tenant);
        var apply = store.Get<ApplyMarketplacePurchase>();
        var installs = store.Get<MarketplaceInstalls>();
        var caller = new MarketplaceCaller(buyer, false, false);
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Completed(metadata), default)).Value);
        Assert.True((await installs.InstallAsync(tenant, caller, item.Id, default)).IsSuccess);
        Assert.True((await installs.RateAsync(tenant, caller, item.Id, 5, "Good", default)).IsSuccess);

        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Refunded(metadata), default)).Value);
        var after = await installs.RateAsync(tenant, caller, item.Id, 1, "Refunded and still rating", default);
        Assert.Equal("purchase_required", after.Error?.Code);

        // A partial refund leaves the right to rate.
        var other = new MarketplaceCaller(UserId.New(), false, false);
        var otherPurchase = new Dictionary<string, string>(AnotherPurchase(metadata), StringComparer.Ordinal) { ["user_id"] = other.Id.Value };
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Completed(otherPurchase), default)).Value);
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Refunded(otherPurchase, 10), default)).Value);
        Assert.True((await installs.RateAsync(tenant, other, item.Id, 4, null, default)).IsSuccess);
    }

    [StoreFact]
    public async Task Events_arriving_after_the_buyers_and_creators_erasure_write_only_their_pseudonyms()
    {
        await using var store = await StoreAsync(new ManualTimeProvider(Now));
        var tenant = TenantOf();
        var (item, metadata, buyer) = await PaidItemAsync(store, tenant);
        var apply = store.Get<ApplyMarketplacePurchase>();
        var section = store.Get<IEnumerable<IPersonalDataStore>>().Single(s => s.Section == "marketplace");
        var erasures = store.Get<IErasureRegistry>();

        // Both erased after the checkout started, before its payment's webhook arrived.
        foreach (var user in new[] { buyer, item.CreatorId })
        {
            Assert.True(await erasures.TryRecordAsync(Alpha, user, Now, default));
            await section.EraseAsync(Alpha, user, default);
        }

        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Completed(metadata), default)).Value);
        Assert.Equal(WebhookOutcome.Applied, (await apply.HandleAsync(tenant, Refunded(metadata, 200), default)).Value);

        var sales = store.Get<IMarketplaceSalesStore>();
        Assert.Empty((await section.ExportAsync(Alpha, buyer, default)).Records);
        Assert.Empty((await section.ExportAsync(Alpha, item.CreatorId, default)).Records);
        Assert.Null(await sales.GetEntitlementAsync(Alpha, item.Id, buyer, default));
        Assert.Empty(await sales.ListPurchasesAsync(Alpha, item.Id, buyer, default));
        var buyerPseudonym = ErasedUserKey.PseudonymOf(Alpha, buyer);
        var creatorPseudonym = ErasedUserKey.PseudonymOf(Alpha, item.CreatorId);
        var purchase = Assert.Single(await sales.ListPurchasesAsync(Alpha, item.Id, buyerPseudonym, default));
        Assert.Equal((buyerPseudonym, creatorPseudonym, 200L), (purchase.BuyerId, purchase.CreatorId, purchase.RefundedCents));
        Assert.Null(await sales.GetEntitlementAsync(Alpha, item.Id, buyerPseudonym, default)); // no one to entitle
        await AssertAmountsAsync(store, item.CreatorId);

        // 875 × 200 / 1,001 = 174.8 → 174, recorded for the pseudonym so the ledger still adds up.
        await AssertAmountsAsync(store, creatorPseudonym, -174, 875);
    }

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
