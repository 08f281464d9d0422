using Shared.Domain.Common;
using Shared.Domain.Messaging;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Messaging;

/// <summary>The local outbox in the embedded store: mail and SMS are kept, not sent (read back by GET /api/dev/outbox).</summary>
public sealed class SqliteOutbox(SqliteDatabase db, TimeProvider time) : IMailSender, ISmsSender, IOutbox
{
    public Task SendAsync(MailMessage message, CancellationToken cancellationToken) =>
        StoreAsync(message.TenantId, message.To.Value, message.UserId, message.Subject, message.Body, message.Code, cancellationToken);

    public Task SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
        StoreAsync(message.TenantId, message.To.Value, message.UserId, null, message.Body, message.Code, cancellationToken);

    public Task<IReadOnlyList<OutboxItem>> LatestAsync(TenantId tenantId, string to, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OutboxItem>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT recipient, subject, body, code, sent_at_ms FROM outbox_messages WHERE tenant_id = $t AND recipient = $r ORDER BY sent_at_ms DESC, message_id DESC LIMIT $max", ("$t", tenantId.Value), ("$r", to), ("$max", max));
            return ReadAll(command, r => new OutboxItem(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))));
        }));

    private Task<int> StoreAsync(TenantId tenantId, string to, UserId? userId, string? subject, string body, string? code, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "INSERT INTO outbox_messages (tenant_id, message_id, recipient, user_id, subject, body, code, sent_at_ms) VALUES ($t, $id, $r, $u, $s, $b, $c, $at)",
                ("$t", tenantId.Value),
                ("$id", Guid.CreateVersion7(time.GetUtcNow()).ToString("N")),
                ("$r", to),
                ("$u", userId?.Value),
                ("$s", subject),
                ("$b", body),
                ("$c", code),
                ("$at", time.GetUtcNow().ToUnixTimeMilliseconds())),
            cancellationToken);
}
