using System.Text.Json;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Tenants;

public sealed class SqliteTenantStore(SqliteDatabase db, TimeProvider time) : ITenantStore
{
    public Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            var json = (string?)Scalar(c, null, "SELECT doc FROM tenants WHERE tenant_id = $t", ("$t", id.Value));
            return json is null ? null : JsonSerializer.Deserialize<TenantDocument>(json, WireJson.Options)!.ToTenant();
        }));

    public Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO tenants (tenant_id, doc, updated_at_ms) VALUES ($t, $doc, $now) ON CONFLICT (tenant_id) DO UPDATE SET doc = excluded.doc, updated_at_ms = excluded.updated_at_ms",
                ("$t", tenant.Id.Value),
                ("$doc", JsonSerializer.Serialize(TenantDocument.From(tenant), WireJson.Options)),
                ("$now", time.GetUtcNow().ToUnixTimeMilliseconds())),
            cancellationToken);

    public Task<IReadOnlyList<Tenant>> ListAsync(TenantId? after, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return Task.FromResult<IReadOnlyList<Tenant>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT doc FROM tenants WHERE tenant_id > $after ORDER BY tenant_id LIMIT $max", ("$after", after?.Value ?? ""), ("$max", max));
            return ReadAll(command, r => JsonSerializer.Deserialize<TenantDocument>(r.GetString(0), WireJson.Options)!.ToTenant());
        }));
    }
}
