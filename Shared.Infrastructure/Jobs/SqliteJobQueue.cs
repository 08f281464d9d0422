using Shared.Domain.Jobs;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Jobs;

/// <summary>
/// The EMBEDDED QUEUE (local runs and tests): a SQLite table with Service Bus' semantics where they matter —
/// duplicate detection by message id, peek-lock leases that expire, a delivery count, dead-lettering after the maximum,
/// scheduled delivery. Receives take the first queue in the caller's order that has a visible message (priority).
/// </summary>
public sealed class SqliteJobQueue(SqliteDatabase db, JobQueueOptions options, TimeProvider time) : IJobQueue, IJobReceiver
{
    public Task SendAsync(string queue, IReadOnlyList<JobMessage> messages, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var now = time.GetUtcNow().ToUnixTimeMilliseconds();
                foreach (var message in messages)
                {
                    w.Execute(
                        "INSERT INTO queue_messages (queue, message_id, body, enqueued_at_ms, visible_at_ms) VALUES ($q, $id, $body, $now, $visible) ON CONFLICT DO NOTHING",
                        ("$q", queue),
                        ("$id", message.MessageId),
                        ("$body", message.Body),
                        ("$now", now),
                        ("$visible", message.NotBefore?.ToUnixTimeMilliseconds() ?? now));
                }

                return messages.Count;
            },
            cancellationToken);

    public Task<LeasedJob?> ReceiveAsync(IReadOnlyList<string> queuesInPriorityOrder, TimeSpan lease, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var now = time.GetUtcNow();
                var until = now + lease;
                foreach (var queue in queuesInPriorityOrder)
                {
                    string id, body;
                    int deliveries;
                    while (true)
                    {
                        using (var reader = w.Query(
                            "SELECT message_id, body, delivery_count FROM queue_messages WHERE queue = $q AND dead_lettered = 0 AND visible_at_ms <= $now ORDER BY visible_at_ms, enqueued_at_ms LIMIT 1",
                            ("$q", queue),
                            ("$now", now.ToUnixTimeMilliseconds())))
                        {
                            if (!reader.Read())
                            {
                                id = "";
                                body = "";
                                deliveries = 0;
                                break;
                            }

                            (id, body, deliveries) = (reader.GetString(0), reader.GetString(1), reader.GetInt32(2) + 1);
                        }

                        if (deliveries <= options.MaxDeliveries)
                        {
                            break;
                        }

                        // Its leases kept expiring (the receiver crashed each time): dead-letter it, as Service Bus does.
                        w.Execute(
                            "UPDATE queue_messages SET dead_lettered = 1, lease_token = NULL, dead_letter_reason = 'MaxDeliveryCountExceeded' WHERE queue = $q AND message_id = $id",
                            ("$q", queue),
                            ("$id", id));
                    }

                    if (id.Length == 0)
                    {
                        continue;
                    }

                    var token = Guid.NewGuid().ToString("N");
                    w.Execute(
                        "UPDATE queue_messages SET delivery_count = $d, lease_token = $token, visible_at_ms = $until WHERE queue = $q AND message_id = $id",
                        ("$d", deliveries),
                        ("$token", token),
                        ("$until", until.ToUnixTimeMilliseconds()),
                        ("$q", queue),
                        ("$id", id));
                    return new LeasedJob(queue, id, body, deliveries, token, until);
                }

                return null;
            },
            cancellationToken);

    public Task<bool> CompleteAsync(LeasedJob job, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "DELETE FROM queue_messages WHERE queue = $q AND message_id = $id AND lease_token = $token",
                ("$q", job.Queue),
                ("$id", job.MessageId),
                ("$token", job.LeaseToken)) == 1,
            cancellationToken);

    public Task<bool> AbandonAsync(LeasedJob job, TimeSpan delay, string reason, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "UPDATE queue_messages SET lease_token = NULL, visible_at_ms = $visible, dead_lettered = CASE WHEN delivery_count >= $max THEN 1 ELSE 0 END, dead_letter_reason = CASE WHEN delivery_count >= $max THEN $reason ELSE NULL END WHERE queue = $q AND message_id = $id AND lease_token = $token",
                ("$visible", (time.GetUtcNow() + delay).ToUnixTimeMilliseconds()),
                ("$max", options.MaxDeliveries),
                ("$reason", reason),
                ("$q", job.Queue),
                ("$id", job.MessageId),
                ("$token", job.LeaseToken)) == 1,
            cancellationToken);

    public Task<IReadOnlyList<LeasedJob>> ListDeadLettersAsync(string queue, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LeasedJob>>(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT message_id, body, delivery_count FROM queue_messages WHERE queue = $q AND dead_lettered = 1 ORDER BY enqueued_at_ms LIMIT $max", ("$q", queue), ("$max", max));
            return ReadAll(command, r => new LeasedJob(queue, r.GetString(0), r.GetString(1), r.GetInt32(2), "", DateTimeOffset.MinValue));
        }));
}
