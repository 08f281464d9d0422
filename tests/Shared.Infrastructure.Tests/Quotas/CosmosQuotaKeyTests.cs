using System.Text;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Cosmos;
using TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace Shared.Infrastructure.Tests.Quotas;

[CosmosStore]
public sealed class CosmosQuotaKeyTests(ITestOutputHelper output) : QuotaKeyScenarios
{
    protected override Task<StoreSet> StoreAsync() => StoreSet.CosmosAsync();

    /// <summary>
    /// Measures the account document as Cosmos stores it at the largest the key memory gets (<see cref="QuotaAccount.PruneAbove"/>
    /// keys, every one with its answer recorded, plus a held reservation), read back raw with Cosmos' own properties.
    /// The figure goes into the README; the ceiling fails this test if the document ever grows past it.
    /// </summary>
    [CosmosFact]
    public async Task An_account_at_the_key_bound_stays_a_small_document()
    {
        await using var store = await StoreAsync();
        var user = UserId.New();
        var at = LateEvening.AddHours(-20);
        await store.Quotas.CreateIfMissingAsync(QuotaAccount.Open(Alpha, user, PlanId.Parse("pro"), Allowance.PerMonth(1000), at, at), default);
        var empty = await RawSizeAsync(store, user);
        await store.Quotas.TryReserveAsync(Alpha, user, RequestKey.ForReservation(Alpha, user, "fr_0123456789abcdef0123456789abcdef"), ThreeInFlight, at, default);

        // Fill to the prune threshold through the one-patch path (the path that lets the document grow between rewrites).
        var i = 0;
        while ((await store.Quotas.GetAsync(Alpha, user, default))!.RecentRequests.Count < QuotaAccount.PruneAbove)
        {
            await store.Quotas.TryConsumeAsync(Alpha, user, IdentifyKey(user, $"request-{Guid.NewGuid()}"), at.AddSeconds(++i), default);
        }

        var atBound = await RawSizeAsync(store, user);
        output.WriteLine($"quota document: {empty} bytes empty, {atBound} bytes with {QuotaAccount.PruneAbove} keys ({(atBound - empty) / (double)QuotaAccount.PruneAbove:0.#} bytes per key)");
        Assert.InRange(atBound, empty, 8 * 1024);
    }

    private static async Task<long> RawSizeAsync(StoreSet store, UserId user)
    {
        var container = store.Get<CosmosDatabase>().Container(CosmosContainers.Users);
        using var response = await container.ReadItemStreamAsync("quota:" + user.Value, new PartitionKeyBuilder().Add(Alpha.Value).Add(user.Value).Build());
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(response.Content, Encoding.UTF8);
        return Encoding.UTF8.GetByteCount(await reader.ReadToEndAsync());
    }
}
