using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Xunit;

namespace Shared.Infrastructure.Tests.Audit;

[CosmosStore]
public sealed class CosmosAuditLogTests : AuditLogScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.CosmosAsync();

    /// <summary>
    /// A query over a tenant prefix with no document under it answers an empty result, not 404: on an empty container
    /// and beside another tenant's entries. So the log lists, exports and erases nothing without catching a 404.
    /// </summary>
    [StoreFact]
    public async Task A_tenant_with_no_entries_yet_lists_exports_and_erases_nothing()
    {
        await using var store = await StoreAsync();
        var log = store.Get<IAuditLog>();
        var personal = store.Get<IEnumerable<IPersonalDataStore>>().Single(p => p.Section == "audit");
        var alpha = TenantId.Parse("alpha");
        var beta = TenantId.Parse("beta");
        var user = UserId.New();

        async Task AssertNothingAsync(TenantId tenant)
        {
            var page = await log.ListAsync(tenant, null, 10, default);
            Assert.Empty(page.Items);
            Assert.Null(page.Continuation);
            Assert.Empty((await personal.ExportAsync(tenant, user, default)).Records);
            Assert.Equal(0, await personal.EraseAsync(tenant, user, default));
        }

        await AssertNothingAsync(alpha); // the container holds nothing at all

        await log.AppendAsync(new AuditEntry(alpha, AuditActions.Login, user.Value, user.Value, new DateTimeOffset(2026, 10, 30, 23, 0, 0, TimeSpan.Zero), "192.0.2.1", "c1"), default);
        await AssertNothingAsync(beta); // another tenant has entries, this one none
        Assert.Single((await log.ListAsync(alpha, null, 10, default)).Items);
    }
}
