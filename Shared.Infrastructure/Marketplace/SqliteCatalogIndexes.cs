using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Marketplace;

/// <summary>
/// The embedded store's search index: per tenant, a <see cref="CatalogIndex"/> of its listed items, kept in step with
/// the file (which stays the only source of truth). Triggers of migration marketplace.5 stamp every insert or update of
/// an item, by any writer (this process, the workers' process, the personal-data eraser, a migration), with the next
/// value of the tenant's catalog version, and count deletions. Each search first reads that version (one primary-key
/// read); when it moved, the items stamped since the index's version are read (an index range) and applied, and when a
/// row was deleted the index is loaded afresh. The version is read before the rows, so the index is at least as new as
/// the version it records (a row read newer than it is read and applied again next time: applying a state is
/// idempotent). A search therefore sees every change committed before it started, as a SELECT would.
/// <para>
/// A tenant with more than <see cref="MarketplaceOptions.SearchIndexMaxItems"/> listed items is searched with SQL, and
/// counted again after <see cref="MarketplaceOptions.SearchIndexRetry"/>. While a tenant's index is first loaded, its
/// other searches use SQL instead of waiting. An index that cannot be brought up to date (an item it cannot read, say)
/// is dropped with an error logged, and SQL answers until the same retry time: search keeps working on the file.
/// </para>
/// </summary>
public sealed class SqliteCatalogIndexes(MarketplaceOptions options, TimeProvider time, ILogger<SqliteCatalogIndexes> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, TenantIndex> _tenants = new(StringComparer.Ordinal);

    /// <summary>The page from the index, or null when SQL must answer (index off, catalog too large, first load under way).</summary>
    internal List<MarketplaceItem>? TryFind(SqliteConnection connection, TenantId tenantId, ItemSearch search, Func<SqliteDataReader, MarketplaceItem> read, string columns)
    {
        if (options.SearchIndexMaxItems == 0)
        {
            return null;
        }

        var tenant = _tenants.GetOrAdd(tenantId.Value, _ => new TenantIndex());
        var stamp = ReadStamp(connection, tenantId);
        if (!tenant.IsAt(stamp))
        {
            if (tenant.Index is null)
            {
                if (time.GetUtcNow() < tenant.RetryAt || !Monitor.TryEnter(tenant.Gate))
                {
                    return null;
                }
            }
            else
            {
                Monitor.Enter(tenant.Gate);
            }

            try
            {
                if (!tenant.IsAt(stamp))
                {
                    Refresh(connection, tenantId, tenant, stamp, read, columns);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var retryAt = time.GetUtcNow() + options.SearchIndexRetry;
                logger.LogError(e, "The search index of tenant {TenantId} could not be brought to catalog version {Version}; SQL answers its searches until {RetryAt}.", tenantId.Value, stamp.Version, retryAt);
                tenant.Drop(retryAt);
            }
            finally
            {
                Monitor.Exit(tenant.Gate);
            }
        }

        return tenant.Index?.Find(search);
    }

    /// <summary>How many items the tenant's index holds; null when its searches use SQL (not loaded yet, off, too large).</summary>
    public int? IndexedItems(TenantId tenantId) => _tenants.TryGetValue(tenantId.Value, out var tenant) ? tenant.Index?.Count : null;

    public void Dispose()
    {
        foreach (var tenant in _tenants.Values)
        {
            tenant.Index?.Dispose();
        }
    }

    private void Refresh(SqliteConnection connection, TenantId tenantId, TenantIndex tenant, Stamp stamp, Func<SqliteDataReader, MarketplaceItem> read, string columns)
    {
        if (tenant.Index is { } index && tenant.Stamp is { } current && current.Removals == stamp.Removals)
        {
            using var changed = Command(connection, null, $"SELECT {columns} FROM marketplace_items WHERE tenant_id = $t AND change_seq > $since", ("$t", tenantId.Value), ("$since", current.Version));
            index.Apply(ReadAll(changed, read));
            if (index.Count <= options.SearchIndexMaxItems)
            {
                tenant.Publish(index, stamp);
                return;
            }
        }
        else
        {
            var listed = (long)Scalar(connection, null, "SELECT count(*) FROM marketplace_items WHERE tenant_id = $t AND status = 'published' AND deleted_at_ms IS NULL", ("$t", tenantId.Value))!;
            if (listed <= options.SearchIndexMaxItems)
            {
                using var all = Command(connection, null, $"SELECT {columns} FROM marketplace_items WHERE tenant_id = $t AND status = 'published' AND deleted_at_ms IS NULL", ("$t", tenantId.Value));
                var loaded = new CatalogIndex();
                loaded.Apply(ReadAll(all, read));
                tenant.Publish(loaded, stamp);
                return;
            }
        }

        // Too many listed items for the index: SQL answers until the retry time.
        tenant.Drop(time.GetUtcNow() + options.SearchIndexRetry);
    }

    private static Stamp ReadStamp(SqliteConnection connection, TenantId tenantId)
    {
        using var command = Command(connection, null, "SELECT version, removals FROM marketplace_catalog_versions WHERE tenant_id = $t", ("$t", tenantId.Value));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new Stamp(reader.GetInt64(0), reader.GetInt64(1)) : new Stamp(0, 0);
    }

    /// <summary>The tenant's catalog version (every insert or update of an item) and how many items were ever deleted.</summary>
    private sealed record Stamp(long Version, long Removals);

    private sealed class TenantIndex
    {
        private volatile State? _state;

        public object Gate { get; } = new();

        public CatalogIndex? Index => _state?.Index;

        public Stamp? Stamp => _state?.Stamp;

        public DateTimeOffset RetryAt => _state?.RetryAt ?? DateTimeOffset.MinValue;

        public bool IsAt(Stamp stamp) => _state is { Index: not null } state && state.Stamp!.Version >= stamp.Version && state.Stamp.Removals == stamp.Removals;

        public void Publish(CatalogIndex index, Stamp stamp) => _state = new State(index, stamp, DateTimeOffset.MinValue);

        /// <summary>A replaced index is not disposed here: a search may still be inside it (its lock's handles go with it).</summary>
        public void Drop(DateTimeOffset retryAt) => _state = new State(null, null, retryAt);

        private sealed record State(CatalogIndex? Index, Stamp? Stamp, DateTimeOffset RetryAt);
    }
}
