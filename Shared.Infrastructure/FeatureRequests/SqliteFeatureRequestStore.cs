using System.Globalization;
using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.DataSharing.Privacy;
using Shared.Domain.Features;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.FeatureRequests;

public sealed class SqliteFeatureRequestStore(SqliteDatabase db) : IFeatureRequestStore
{
    private const string Columns = "id, user_id, request_text, status, reservation, queue, generated_code, generated_by, failure_reason, attempts, created_at_ms, updated_at_ms, completed_at_ms, version, round, retry_budget_from_ms, next_attempt_at_ms, category";

    public Task<bool> TryCreateAsync(FeatureRequest request, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                $"INSERT INTO feature_requests (tenant_id, {Columns}) VALUES ($t, $id, $u, $text, $status, $reservation, $queue, $code, $by, $reason, $attempts, $created, $updated, $completed, 1, $round, $first, $next, $category) ON CONFLICT DO NOTHING",
                Parameters(request)) == 1,
            cancellationToken);

    public Task<FeatureRequest?> GetAsync(TenantId tenantId, UserId userId, string id, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {Columns} FROM feature_requests WHERE tenant_id = $t AND user_id = $u AND id = $id", ("$t", tenantId.Value), ("$u", userId.Value), ("$id", id));
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader, tenantId) : null;
        }));

    public Task<FeatureRequest?> TryUpdateAsync(FeatureRequest updated, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var changed = w.Execute(
                    "UPDATE feature_requests SET request_text = $text, status = $status, reservation = $reservation, queue = $queue, generated_code = $code, generated_by = $by, failure_reason = $reason, attempts = $attempts, updated_at_ms = $updated, completed_at_ms = $completed, round = $round, retry_budget_from_ms = $first, next_attempt_at_ms = $next, version = version + 1 WHERE tenant_id = $t AND user_id = $u AND id = $id AND version = $version",
                    [.. Parameters(updated), ("$version", long.TryParse(updated.Version, CultureInfo.InvariantCulture, out var v) ? v : -1)]);
                return changed == 1 ? updated with { Version = (v + 1).ToString(CultureInfo.InvariantCulture) } : null;
            },
            cancellationToken);

    // A re-created row starts at version 1 again, so a stale delete can remove a newer request still being reserved;
    // that is harmless: its submission then finds it gone, gives its use back and answers 409 (ReserveFeatureRequest).
    public Task<bool> TryDeleteAsync(FeatureRequest request, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => w.Execute(
                "DELETE FROM feature_requests WHERE tenant_id = $t AND user_id = $u AND id = $id AND version = $version",
                ("$t", request.TenantId.Value),
                ("$u", request.UserId.Value),
                ("$id", request.Id),
                ("$version", long.TryParse(request.Version, CultureInfo.InvariantCulture, out var v) ? v : -1)) == 1,
            cancellationToken);

    public Task<FeatureRequestPage> ListAsync(TenantId tenantId, UserId userId, int max, string? continuation, CancellationToken cancellationToken)
    {
        var (afterCreated, afterId) = continuation is null ? (long.MaxValue, "") : DecodeContinuation(continuation);
        return Task.FromResult(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                $"SELECT {Columns} FROM feature_requests WHERE tenant_id = $t AND user_id = $u AND (created_at_ms < $c OR (created_at_ms = $c AND id < $id)) ORDER BY created_at_ms DESC, id DESC LIMIT $max",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$c", afterCreated),
                ("$id", continuation is null ? "\uffff" : afterId),
                ("$max", max + 1));
            var items = ReadAll(command, r => Read(r, tenantId));

            if (items.Count <= max)
            {
                return new FeatureRequestPage(items, null);
            }

            items.RemoveAt(max);
            var last = items[^1];
            return new FeatureRequestPage(items, EncodeContinuation(last.CreatedAt.ToUnixTimeMilliseconds(), last.Id));
        }));
    }

    public Task<IReadOnlyList<FeatureRequest>> ListUnfinishedAsync(TenantId tenantId, DateTimeOffset updatedBefore, int max, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FeatureRequest>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                $"SELECT {Columns} FROM feature_requests WHERE tenant_id = $t AND status IN ('pending', 'processing') AND updated_at_ms < $before AND (next_attempt_at_ms IS NULL OR next_attempt_at_ms < $before) ORDER BY updated_at_ms LIMIT $max",
                ("$t", tenantId.Value),
                ("$before", updatedBefore.ToUnixTimeMilliseconds()),
                ("$max", max));
            return ReadAll(command, r => Read(r, tenantId));
        }));

    public Task<IReadOnlyList<FeatureRequest>> ListCreatedBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<FeatureRequest>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                $"SELECT {Columns} FROM feature_requests WHERE tenant_id = $t AND user_id = $u AND created_at_ms >= $from AND created_at_ms < $to ORDER BY created_at_ms",
                ("$t", tenantId.Value),
                ("$u", userId.Value),
                ("$from", from.ToUnixTimeMilliseconds()),
                ("$to", to.ToUnixTimeMilliseconds()));
            return ReadAll(command, r => Read(r, tenantId));
        }));

    private static (string, object?)[] Parameters(FeatureRequest r) =>
    [
        ("$t", r.TenantId.Value),
        ("$id", r.Id),
        ("$u", r.UserId.Value),
        ("$text", r.RequestText),
        ("$status", FeatureText.Format(r.Status)),
        ("$reservation", FeatureText.Format(r.Reservation)),
        ("$queue", r.Queue),
        ("$code", r.GeneratedCode),
        ("$by", r.GeneratedBy),
        ("$reason", r.FailureReason),
        ("$attempts", r.Attempts),
        ("$created", r.CreatedAt.ToUnixTimeMilliseconds()),
        ("$updated", r.UpdatedAt.ToUnixTimeMilliseconds()),
        ("$completed", r.CompletedAt?.ToUnixTimeMilliseconds()),
        ("$round", r.Round),
        ("$first", r.RetryBudgetFrom?.ToUnixTimeMilliseconds()),
        ("$next", r.NextAttemptAt?.ToUnixTimeMilliseconds()),
        ("$category", r.Category is { } category ? FeatureCategories.Name(category) : null),
    ];

    private static FeatureRequest Read(SqliteDataReader r, TenantId tenantId) => new()
    {
        Id = r.GetString(0),
        TenantId = tenantId,
        UserId = UserId.Parse(r.GetString(1)),
        RequestText = r.GetString(2),
        Status = FeatureText.ParseStatus(r.GetString(3)),
        Reservation = FeatureText.ParseReservation(r.GetString(4)),
        Queue = r.GetString(5),
        GeneratedCode = r.IsDBNull(6) ? null : r.GetString(6),
        GeneratedBy = r.IsDBNull(7) ? null : r.GetString(7),
        FailureReason = r.IsDBNull(8) ? null : r.GetString(8),
        Attempts = r.GetInt32(9),
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        UpdatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)),
        CompletedAt = r.IsDBNull(12) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(12)),
        Version = r.GetInt64(13).ToString(CultureInfo.InvariantCulture),
        Round = r.GetInt32(14),
        RetryBudgetFrom = r.IsDBNull(15) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(15)),
        NextAttemptAt = r.IsDBNull(16) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(16)),
        Category = r.IsDBNull(17) ? null : FeatureCategories.Parse(r.GetString(17)),
    };

    private static string EncodeContinuation(long createdAtMs, string id) => ContinuationText.Encode($"v1:{createdAtMs}:{id}");

    private static (long CreatedAtMs, string Id) DecodeContinuation(string token)
    {
        var parts = ContinuationText.Decode(token).Split(':');
        return parts is ["v1", var created, var id] && long.TryParse(created, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && FeatureRequest.IsWellFormedId(id)
            ? (ms, id)
            : throw new InvalidContinuationException("Not a continuation token of this list.");
    }
}
