using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Domain.Wallets;

namespace Shared.Domain.Campaigns;

/// <summary>
/// Reads a whole audience page by page for the snapshot (bounded by <see cref="CampaignOptions.MaxAudience"/>), and
/// counts one for the estimate: counted in the store, and the counts reused for
/// <see cref="CampaignOptions.EstimateCacheDuration"/> per (tenant, pin codes, channels), by the injected clock. The
/// counts kept are bounded per tenant (<see cref="MaxCachedCountsPerTenant"/>) and in all
/// (<see cref="MaxCachedCounts"/>); past a bound the expired counts of that tenant (or of all tenants) go first, then
/// the least recently used ones, one at a time, so a tenant asking for many sets only pushes out its own counts.
/// </summary>
public sealed class AudienceReader
{
    /// <summary>Counts kept at most, of all tenants together: past it the soonest expired, else the least recently used, goes.</summary>
    public const int MaxCachedCounts = 10_000;

    /// <summary>Counts kept at most for one tenant: past it that tenant's soonest expired, else least recently used, goes.</summary>
    public const int MaxCachedCountsPerTenant = 1_000;

    private readonly ICustomerPreferenceStore _preferences;
    private readonly CampaignOptions _options;
    private readonly TimeProvider _time;
    private readonly CountCache _counts;

    public AudienceReader(ICustomerPreferenceStore preferences, CampaignOptions options, TimeProvider time)
        : this(preferences, options, time, MaxCachedCounts, MaxCachedCountsPerTenant)
    {
    }

    /// <summary>With other bounds than the defaults (tests).</summary>
    internal AudienceReader(ICustomerPreferenceStore preferences, CampaignOptions options, TimeProvider time, int maxCachedCounts, int maxCachedCountsPerTenant)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCachedCounts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCachedCountsPerTenant, 1);
        _preferences = preferences;
        _options = options;
        _time = time;
        _counts = new CountCache(maxCachedCounts, maxCachedCountsPerTenant);
    }

    /// <summary>The audience's size, from the cache while it is fresh, else counted by the store (and cached).</summary>
    public async Task<AudienceCount> CountAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, CancellationToken cancellationToken)
    {
        // The pin codes and channels as sets (order and repeats make no difference to the audience).
        List<string> pinSet = [.. pinCodes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        List<NotificationChannel> channelSet = [.. channels.Distinct().Order()];
        var key = string.Join('\n', [tenantId.Value, string.Join(',', pinSet), string.Join(',', channelSet)]);
        var caching = _options.EstimateCacheDuration > TimeSpan.Zero;
        var now = _time.GetUtcNow();
        if (caching && _counts.TryGet(key, now, out var cached))
        {
            return cached;
        }

        var count = await _preferences.CountAudienceAsync(tenantId, pinSet, channelSet, cancellationToken);
        if (caching)
        {
            _counts.Put(tenantId.Value, key, count, now + _options.EstimateCacheDuration, _time.GetUtcNow());
        }

        return count;
    }

    /// <summary>How many counts are kept, in all and per tenant (tests).</summary>
    internal (int Total, IReadOnlyDictionary<string, int> PerTenant) CachedCounts() => _counts.Sizes();

    public static CampaignEstimate Estimate(AudienceCount count, CampaignPrices prices) =>
        new(count.Customers, count.PerChannel.Values.Sum(), count.PerChannel.Sum(c => c.Value * CampaignChannels.PriceOf(prices, c.Key)));

    /// <summary>Every member, or null when the audience is larger than allowed.</summary>
    public async Task<List<AudienceMember>?> ReadAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, CancellationToken cancellationToken)
    {
        var members = new List<AudienceMember>();
        UserId? after = null;
        while (true)
        {
            var page = await _preferences.ListAudienceAsync(tenantId, pinCodes, channels, after, _options.AudiencePageSize, cancellationToken);
            members.AddRange(page);
            if (members.Count > _options.MaxAudience)
            {
                return null;
            }

            if (page.Count < _options.AudiencePageSize)
            {
                return members;
            }

            after = page[^1].UserId;
        }
    }

    public static CampaignEstimate Estimate(IReadOnlyList<AudienceMember> members, CampaignPrices prices)
    {
        long messages = 0, cost = 0;
        foreach (var member in members)
        {
            foreach (var channel in member.Channels)
            {
                messages++;
                cost += CampaignChannels.PriceOf(prices, channel);
            }
        }

        return new CampaignEstimate(members.Count, messages, cost);
    }

    /// <summary>
    /// The counts by key under one lock, each also linked, for all tenants and for its own tenant, in order of use
    /// (least recent first) and of expiry (soonest first): every operation is a dictionary look-up and a few list
    /// moves.
    /// </summary>
    private sealed class CountCache(int maxCounts, int maxCountsPerTenant)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
        private readonly Scope _all = new();
        private readonly Dictionary<string, Scope> _tenants = new(StringComparer.Ordinal);

        /// <summary>The count under the key while it is fresh (and marked as used now).</summary>
        public bool TryGet(string key, DateTimeOffset now, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AudienceCount? count)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var entry) && now < entry.Until)
                {
                    _all.Used(entry.InAll);
                    _tenants[entry.Tenant].Used(entry.InTenant);
                    count = entry.Count;
                    return true;
                }
            }

            count = null;
            return false;
        }

        /// <summary>Keeps the count until <paramref name="until"/>, first making room in the tenant's bound and then in the global one.</summary>
        public void Put(string tenant, string key, AudienceCount count, DateTimeOffset until, DateTimeOffset now)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var entry))
                {
                    // Counted again (expired, or two callers counted at once): no more entries than before.
                    entry.Count = count;
                    entry.Until = until;
                    _all.Renewed(entry.InAll);
                    _tenants[tenant].Renewed(entry.InTenant);
                    return;
                }

                if (_tenants.TryGetValue(tenant, out var own))
                {
                    while (own.Count >= maxCountsPerTenant)
                    {
                        Remove(own.Victim(now));
                    }
                }

                while (_all.Count >= maxCounts)
                {
                    Remove(_all.Victim(now));
                }

                if (!_tenants.TryGetValue(tenant, out own))
                {
                    own = new Scope();
                    _tenants.Add(tenant, own);
                }

                entry = new Entry(tenant, key) { Count = count, Until = until };
                _entries.Add(key, entry);
                _all.Add(entry.InAll);
                own.Add(entry.InTenant);
            }
        }

        public (int Total, IReadOnlyDictionary<string, int> PerTenant) Sizes()
        {
            lock (_gate)
            {
                if (_all.Count != _entries.Count || _tenants.Values.Sum(t => t.Count) != _entries.Count || _tenants.Values.Any(t => t.Count == 0))
                {
                    throw new InvalidOperationException("The estimate cache's lists are out of step with its entries.");
                }

                return (_entries.Count, _tenants.ToDictionary(t => t.Key, t => t.Value.Count, StringComparer.Ordinal));
            }
        }

        private void Remove(Entry entry)
        {
            _entries.Remove(entry.Key);
            _all.Remove(entry.InAll);
            var own = _tenants[entry.Tenant];
            own.Remove(entry.InTenant);
            if (own.Count == 0)
            {
                _tenants.Remove(entry.Tenant);
            }
        }
    }

    private sealed class Entry
    {
        public Entry(string tenant, string key)
        {
            Tenant = tenant;
            Key = key;
            InAll = new Links(this);
            InTenant = new Links(this);
        }

        public string Tenant { get; }

        public string Key { get; }

        public required AudienceCount Count { get; set; }

        public required DateTimeOffset Until { get; set; }

        public Links InAll { get; }

        public Links InTenant { get; }
    }

    /// <summary>An entry's places in one scope's two orders.</summary>
    private sealed class Links(Entry entry)
    {
        public LinkedListNode<Entry> ByUse { get; } = new(entry);

        public LinkedListNode<Entry> ByExpiry { get; } = new(entry);
    }

    /// <summary>Entries (all, or one tenant's) by use, least recent first, and by expiry, soonest first.</summary>
    private sealed class Scope
    {
        private readonly LinkedList<Entry> _byUse = new();
        private readonly LinkedList<Entry> _byExpiry = new();

        public int Count => _byUse.Count;

        public void Add(Links links)
        {
            _byUse.AddLast(links.ByUse);
            InsertByExpiry(links.ByExpiry);
        }

        public void Used(Links links)
        {
            _byUse.Remove(links.ByUse);
            _byUse.AddLast(links.ByUse);
        }

        public void Renewed(Links links)
        {
            Used(links);
            _byExpiry.Remove(links.ByExpiry);
            InsertByExpiry(links.ByExpiry);
        }

        public void Remove(Links links)
        {
            _byUse.Remove(links.ByUse);
            _byExpiry.Remove(links.ByExpiry);
        }

        /// <summary>The entry to drop to make room: the soonest expired, else the least recently used.</summary>
        public Entry Victim(DateTimeOffset now) =>
            _byExpiry.First!.Value.Until <= now ? _byExpiry.First.Value : _byUse.First!.Value;

        // Entries expire in the order they were counted (one duration, a clock that moves forward), so this walks
        // back at most past the entries a clock set back has left later.
        private void InsertByExpiry(LinkedListNode<Entry> node)
        {
            var after = _byExpiry.Last;
            while (after is not null && after.Value.Until > node.Value.Until)
            {
                after = after.Previous;
            }

            if (after is null)
            {
                _byExpiry.AddFirst(node);
            }
            else
            {
                _byExpiry.AddAfter(after, node);
            }
        }
    }
}
