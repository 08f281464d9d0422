using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Xunit;

namespace Shared.Infrastructure.Tests.Tenants;

/// <summary>The tenant store's listing, which timer jobs page through: every tenant once, in id order, a page at a time.</summary>
public abstract class TenantStoreScenarios
{
    protected abstract Task<StoreSet> StoreAsync();

    [StoreFact]
    public async Task Listing_pages_through_every_stored_tenant_once_in_id_order()
    {
        await using var store = await StoreAsync();
        var prefix = $"t{Guid.NewGuid():N}"[..12];
        var ids = Enumerable.Range(0, 7).Select(i => TenantId.Parse($"{prefix}-{i}")).Reverse().ToList();
        foreach (var id in ids)
        {
            await store.Tenants.UpsertAsync(new Tenant(id, id.Value, [new Plan(PlanId.Parse("free"), "Free", new Allowance(10, ResetPeriod.Day), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)], "https://x.example/u?{link_token}"), default);
        }

        var seen = new List<TenantId>();
        TenantId? after = null;
        for (var pages = 0; pages < 10; pages++)
        {
            var page = await store.Tenants.ListAsync(after, 3, default);
            Assert.True(page.Count <= 3);
            seen.AddRange(page.Select(t => t.Id));
            if (page.Count < 3)
            {
                break;
            }

            after = page[^1].Id;
        }

        var ours = seen.Where(id => id.Value.StartsWith(prefix, StringComparison.Ordinal)).Select(id => id.Value).ToList();
        Assert.Equal(ids.Select(id => id.Value).Order(StringComparer.Ordinal), ours);
        Assert.Equal(seen.Select(id => id.Value).Order(StringComparer.Ordinal), seen.Select(id => id.Value));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal("Free", (await store.Tenants.ListAsync(null, 100, default)).Single(t => t.Id == ids[0]).DefaultPlan.Name);
    }
}
