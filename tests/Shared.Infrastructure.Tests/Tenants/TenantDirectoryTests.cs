using System.Collections.Concurrent;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Tenants;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Tenants;

/// <summary>The tenant cache: real tenants and unknown ids are kept apart, and unknown ids are bounded on their own.</summary>
public sealed class TenantDirectoryTests
{
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly CountingStore _store = new();

    private static Tenant NewTenant(string id) => new(
        TenantId.Parse(id),
        id,
        [new Plan(PlanId.Parse("free"), "Free", Allowance.PerDay(10), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true)],
        "https://x.example/u?token={link_token}");

    [Fact]
    public async Task A_flood_of_unknown_tenant_ids_never_evicts_a_real_tenant()
    {
        await _store.UpsertAsync(NewTenant("alpha"), default);
        using var directory = new CachingTenantDirectory(_store, _clock, maxCachedMisses: 64);
        Assert.NotNull(await directory.FindAsync(TenantId.Parse("alpha"), default));

        for (var i = 0; i < 5_000; i++)
        {
            Assert.Null(await directory.FindAsync(TenantId.Parse($"flood-{i}"), default));
            Assert.True(directory.CachedMisses <= 64, $"{directory.CachedMisses} misses cached");
        }

        var found = directory.TryGetCached(TenantId.Parse("alpha"), out var cached);
        var again = await directory.FindAsync(TenantId.Parse("alpha"), default);

        Assert.True(found);
        Assert.Equal("alpha", cached!.Id.Value);
        Assert.Equal("alpha", again!.Id.Value);
        Assert.Equal(1, _store.ReadsOf("alpha")); // still the first read's entry: nothing pushed it out
        Assert.Equal(5_000, _store.ReadsOf("flood-")); // every made-up id cost its read (the API limits how many per address)
    }

    [Fact]
    public async Task An_unknown_id_is_remembered_briefly_and_never_counts_as_a_known_tenant()
    {
        using var directory = new CachingTenantDirectory(_store, _clock);
        var id = TenantId.Parse("late");

        Assert.Null(await directory.FindAsync(id, default));
        Assert.Null(await directory.FindAsync(id, default));
        var knownWhileMissing = directory.TryGetCached(id, out _);
        await _store.UpsertAsync(NewTenant("late"), default);
        _clock.Advance(TimeSpan.FromSeconds(5));
        var found = await directory.FindAsync(id, default);

        Assert.False(knownWhileMissing);
        Assert.Equal(2, _store.ReadsOf("late")); // one for the first miss (the second was cached), one once it expired
        Assert.Equal("late", found!.Id.Value);
        Assert.True(directory.TryGetCached(id, out _));
    }

    [Fact]
    public async Task A_known_tenant_is_read_again_once_its_entry_expires_by_the_injected_clock()
    {
        await _store.UpsertAsync(NewTenant("alpha"), default);
        using var directory = new CachingTenantDirectory(_store, _clock);

        await directory.FindAsync(TenantId.Parse("alpha"), default);
        _clock.Advance(TimeSpan.FromSeconds(29));
        var cachedBefore = directory.TryGetCached(TenantId.Parse("alpha"), out _);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var cachedAfter = directory.TryGetCached(TenantId.Parse("alpha"), out _);
        await directory.FindAsync(TenantId.Parse("alpha"), default);

        Assert.True(cachedBefore);
        Assert.False(cachedAfter);
        Assert.Equal(2, _store.ReadsOf("alpha"));
    }

    private sealed class CountingStore : ITenantStore
    {
        private readonly ConcurrentDictionary<string, Tenant> _tenants = new();
        private readonly ConcurrentQueue<string> _reads = new();

        public int ReadsOf(string prefix) => _reads.Count(r => r.StartsWith(prefix, StringComparison.Ordinal));

        public Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken)
        {
            _reads.Enqueue(id.Value);
            return Task.FromResult(_tenants.GetValueOrDefault(id.Value));
        }

        public Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken)
        {
            _tenants[tenant.Id.Value] = tenant;
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<Tenant>> ListAsync(TenantId? after, int max, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<Tenant>>([.. _tenants.Values.Where(t => after is null || string.CompareOrdinal(t.Id.Value, after.Value.Value) > 0).OrderBy(t => t.Id.Value, StringComparer.Ordinal).Take(max)]);
    }
}
