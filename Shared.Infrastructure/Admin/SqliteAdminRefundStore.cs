using Microsoft.Data.Sqlite;
using Shared.Domain.Admin;
using Shared.Domain.Common;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Admin;

public sealed class SqliteAdminRefundStore(SqliteDatabase db) : IAdminRefundStore
{
    private const string Columns = "idempotency_key, fingerprint, payment_id, amount_minor, reason, created_at_ms, refund_id";

    public Task<AdminRefund> GetOrAddAsync(AdminRefund refund, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                w.Execute(
                    $"INSERT INTO admin_refunds (tenant_id, {Columns}) VALUES ($t, $k, $f, $p, $a, $r, $at, NULL) ON CONFLICT DO NOTHING",
                    ("$t", refund.TenantId.Value),
                    ("$k", refund.IdempotencyKey),
                    ("$f", refund.Fingerprint),
                    ("$p", refund.PaymentId),
                    ("$a", refund.AmountMinor),
                    ("$r", refund.Reason),
                    ("$at", refund.CreatedAt.ToUnixTimeMilliseconds()));
                using var reader = w.Query($"SELECT {Columns} FROM admin_refunds WHERE tenant_id = $t AND idempotency_key = $k", ("$t", refund.TenantId.Value), ("$k", refund.IdempotencyKey));
                return reader.Read() ? Read(reader, refund.TenantId) : throw new InvalidOperationException("The refund record vanished inside its own transaction.");
            },
            cancellationToken);

    public Task CompleteAsync(TenantId tenantId, string idempotencyKey, string refundId, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute("UPDATE admin_refunds SET refund_id = $id WHERE tenant_id = $t AND idempotency_key = $k", ("$id", refundId), ("$t", tenantId.Value), ("$k", idempotencyKey)),
            cancellationToken);

    private static AdminRefund Read(SqliteDataReader r, TenantId tenantId) => new(
        tenantId,
        r.GetString(0),
        r.GetString(1),
        r.GetString(2),
        r.IsDBNull(3) ? null : r.GetInt64(3),
        r.GetString(4),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        r.IsDBNull(6) ? null : r.GetString(6));
}
