using Shared.Domain.Admin;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Usage;
using Shared.Infrastructure.Hosting;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Admin;

[CosmosStore]
public sealed class CosmosMetricsTests : MetricsScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);

    // The per-day counts are aggregates in the store: the requests they take depend on the window's days, never on
    // how many records the tenant has (the records themselves are never read into memory).
    [CosmosFact]
    public async Task Uses_per_day_take_the_same_requests_whatever_the_number_of_records()
    {
        await using var store = await StoreAsync();
        var tenant = TenantId.Parse("alpha");
        var from = new DateTimeOffset(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var source = store.Get<IAdminMetricsSource>();
        var user = UserId.New();
        await store.Usage.AppendAsync([new UsageRecord(tenant, user, "identify", ConsumeKind.Allowed, from.AddHours(1))], default);

        long few;
        using (var scope = StoreOperationCounter.BeginScope())
        {
            Assert.Equal(1, (await source.CountUsesPerDayAsync(tenant, from, from.AddDays(5), default)).Values.Sum());
            few = scope.Count;
        }

        await store.Usage.AppendAsync([.. Enumerable.Range(0, 400).Select(i => new UsageRecord(tenant, user, "identify", ConsumeKind.Allowed, from.AddMinutes(i * 13)))], default);
        long many;
        using (var scope = StoreOperationCounter.BeginScope())
        {
            Assert.Equal(401, (await source.CountUsesPerDayAsync(tenant, from, from.AddDays(5), default)).Values.Sum());
            many = scope.Count;
        }

        Assert.Equal(few, many);
        Assert.True(few >= 5, $"{few} requests for 5 days' counts"); // one count per day at least
    }
}
