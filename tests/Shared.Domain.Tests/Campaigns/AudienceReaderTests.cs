using System.Collections.Concurrent;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using TestSupport;
using Xunit;

namespace Shared.Domain.Tests.Campaigns;

/// <summary>The estimate's count cache: bounded per tenant and in all, least recently used out first, expired before that.</summary>
public sealed class AudienceReaderTests
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly TenantId Beta = TenantId.Parse("beta");
    private static readonly NotificationChannel[] Channels = [NotificationChannel.InApp, NotificationChannel.Push];

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly CountingStore _store = new();
    private readonly CampaignOptions _options = new CampaignOptions { EstimateCacheDuration = TimeSpan.FromSeconds(60) }.Validate();

    private static string[] Pins(int n) => [$"{110000 + n}"];

    private Task<AudienceCount> CountAsync(AudienceReader reader, TenantId tenant, int n) => reader.CountAsync(tenant, Pins(n), Channels, default);

    /// <summary>Counts the set again and says whether the store was asked (false: it came from the cache).</summary>
    private async Task<bool> CountedAgainAsync(AudienceReader reader, TenantId tenant, int n)
    {
        var before = _store.Calls(tenant, Pins(n));
        await CountAsync(reader, tenant, n);
        return _store.Calls(tenant, Pins(n)) > before;
    }

    [Fact]
    public async Task One_tenant_asking_for_more_sets_than_any_bound_evicts_only_its_own_counts()
    {
        var reader = new AudienceReader(_store, _options, _clock); // the shipped bounds
        await CountAsync(reader, Beta, 1);

        // Alpha asks for more distinct sets than the global bound, all fresh: it only pushes out its own.
        for (var n = 0; n <= AudienceReader.MaxCachedCounts; n++)
        {
            await CountAsync(reader, Alpha, n);
        }

        var (total, perTenant) = reader.CachedCounts();
        Assert.Equal(AudienceReader.MaxCachedCountsPerTenant, perTenant["alpha"]);
        Assert.Equal(1, perTenant["beta"]);
        Assert.Equal(AudienceReader.MaxCachedCountsPerTenant + 1, total);
        Assert.False(await CountedAgainAsync(reader, Beta, 1)); // beta's count survived
        Assert.False(await CountedAgainAsync(reader, Alpha, AudienceReader.MaxCachedCounts)); // alpha's latest are kept
        Assert.True(await CountedAgainAsync(reader, Alpha, 0)); // its oldest went
    }

    [Fact]
    public async Task The_least_recently_used_count_goes_first_within_a_tenant_and_across_tenants()
    {
        // Per tenant: 3 at most; set 1 is read again after 2 and 3 were counted, so 2 is the least recently used.
        var reader = new AudienceReader(_store, _options, _clock, maxCachedCounts: 100, maxCachedCountsPerTenant: 3);
        await CountAsync(reader, Alpha, 1);
        await CountAsync(reader, Alpha, 2);
        await CountAsync(reader, Alpha, 3);
        Assert.False(await CountedAgainAsync(reader, Alpha, 1));
        await CountAsync(reader, Alpha, 4);
        Assert.Equal(3, reader.CachedCounts().Total);
        Assert.False(await CountedAgainAsync(reader, Alpha, 1));
        Assert.False(await CountedAgainAsync(reader, Alpha, 3));
        Assert.False(await CountedAgainAsync(reader, Alpha, 4));
        Assert.True(await CountedAgainAsync(reader, Alpha, 2));

        // In all: 3 at most over tenants; alpha's set 1 is read again, so beta's set 1 is the least recently used.
        var shared = new AudienceReader(_store, _options, _clock, maxCachedCounts: 3, maxCachedCountsPerTenant: 3);
        await CountAsync(shared, Alpha, 1);
        await CountAsync(shared, Beta, 1);
        await CountAsync(shared, Alpha, 2);
        Assert.False(await CountedAgainAsync(shared, Alpha, 1));
        await CountAsync(shared, Beta, 2);
        Assert.Equal(3, shared.CachedCounts().Total);
        Assert.False(await CountedAgainAsync(shared, Alpha, 1));
        Assert.False(await CountedAgainAsync(shared, Alpha, 2));
        Assert.False(await CountedAgainAsync(shared, Beta, 2));
        Assert.True(await CountedAgainAsync(shared, Beta, 1));
    }

    [Fact]
    public async Task An_expired_count_goes_before_a_live_one_even_a_less_recently_used_one()
    {
        // Per tenant: set 1 counted at 0 s (until 60 s), read at 50 s (the most recently used); 2 and 3 counted at 30 s.
        var reader = new AudienceReader(_store, _options, _clock, maxCachedCounts: 100, maxCachedCountsPerTenant: 3);
        await CountAsync(reader, Alpha, 1);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await CountAsync(reader, Alpha, 2);
        await CountAsync(reader, Alpha, 3);
        _clock.Advance(TimeSpan.FromSeconds(20));
        Assert.False(await CountedAgainAsync(reader, Alpha, 1));

        // At 60 s set 1 has expired; set 4 takes its place, not that of 2 (the least recently used, still fresh).
        _clock.Advance(TimeSpan.FromSeconds(10));
        await CountAsync(reader, Alpha, 4);
        Assert.Equal(3, reader.CachedCounts().Total);
        Assert.False(await CountedAgainAsync(reader, Alpha, 2));
        Assert.False(await CountedAgainAsync(reader, Alpha, 3));
        Assert.False(await CountedAgainAsync(reader, Alpha, 4));

        // The same in all, across tenants: beta's expired count goes before alpha's least recently used live one.
        var shared = new AudienceReader(_store, _options, _clock, maxCachedCounts: 2, maxCachedCountsPerTenant: 2);
        await CountAsync(shared, Beta, 1);
        _clock.Advance(TimeSpan.FromSeconds(30));
        await CountAsync(shared, Alpha, 1);
        Assert.False(await CountedAgainAsync(shared, Beta, 1));
        _clock.Advance(TimeSpan.FromSeconds(30)); // beta's set 1 expires now
        await CountAsync(shared, Alpha, 2);
        Assert.Equal((2, 2), (shared.CachedCounts().Total, shared.CachedCounts().PerTenant["alpha"]));
        Assert.False(await CountedAgainAsync(shared, Alpha, 1));
        Assert.False(await CountedAgainAsync(shared, Alpha, 2));
    }

    [Fact]
    public async Task Parallel_counts_across_tenants_stay_within_the_bounds_and_give_the_store_counts()
    {
        const int Total = 40, PerTenant = 7;
        var reader = new AudienceReader(_store, _options, _clock, Total, PerTenant);
        TenantId[] tenants = [.. Enumerable.Range(0, 8).Select(t => TenantId.Parse($"tenant-{t}"))];
        var largest = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, 200_000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
        {
            var tenant = tenants[i % 2 == 0 ? 0 : 1 + (i / 2 % (tenants.Length - 1))]; // the first tenant asks for half of them
            var n = (i * 7919) % 25; // repeats (hits) and distinct sets (misses)
            string[] pins = [$"{110000 + n}", $"{120000 + (i % 3)}"];
            var count = await reader.CountAsync(tenant, pins, Channels, default);
            Assert.Equal(CountingStore.CountOf(tenant, pins), count.Customers);
            if (i % 97 == 0)
            {
                _clock.Advance(TimeSpan.FromSeconds(7)); // some counts expire along the way
            }

            if (i % 13 == 0)
            {
                var (total, perTenant) = reader.CachedCounts(); // also checks the lists against the entries
                Assert.True(total <= Total, $"{total} counts kept");
                Assert.All(perTenant.Values, kept => Assert.InRange(kept, 1, PerTenant));
                InterlockedMax(ref largest, total);
            }
        });

        var (final, byTenant) = reader.CachedCounts();
        Assert.InRange(final, 1, Total);
        Assert.All(byTenant.Values, kept => Assert.InRange(kept, 1, PerTenant));
        Assert.Equal(Total, largest); // the global bound was reached, not just approached
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    /// <summary>Counts how often each (tenant, pin codes) is counted; the count itself follows from them.</summary>
    private sealed class CountingStore : ICustomerPreferenceStore
    {
        private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

        private static string Key(TenantId tenantId, IEnumerable<string> pinCodes) => tenantId.Value + "/" + string.Join(',', pinCodes.Order(StringComparer.Ordinal));

        public static long CountOf(TenantId tenantId, IEnumerable<string> pinCodes) => Math.Abs(Key(tenantId, pinCodes).GetHashCode() % 1000);

        public int Calls(TenantId tenantId, IEnumerable<string> pinCodes) => _calls.GetValueOrDefault(Key(tenantId, pinCodes));

        public Task<AudienceCount> CountAudienceAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, CancellationToken cancellationToken)
        {
            _calls.AddOrUpdate(Key(tenantId, pinCodes), 1, (_, calls) => calls + 1);
            var customers = CountOf(tenantId, pinCodes);
            return Task.FromResult(new AudienceCount(customers, channels.ToDictionary(c => c, _ => customers)));
        }

        public Task PutAsync(CustomerPreferences preferences, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<CustomerPreferences?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<UserId, ChannelConsent>> GetConsentAsync(TenantId tenantId, IReadOnlyList<UserId> userIds, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<AudienceMember>> ListAudienceAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, UserId? after, int pageSize, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
