using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Jobs;

/// <summary>
/// Jobs waiting in (or dead-lettered by) the embedded queue name the user in their body (a feature job carries the
/// tenant, user and request ids): exported and deleted with the user. A dead-lettered message would otherwise keep the
/// id forever. Service Bus messages cannot be found by content; a job of an erased user there finds its request gone
/// and is dropped by the worker, and the message expires with the queue's time to live.
/// </summary>
public sealed class EmbeddedQueuePersonalData(SqliteDatabase db) : IPersonalDataStore
{
    // The user id is a GUID: found in a body, it is this user's; the tenant's quoted id narrows it to the tenant.
    private const string Match = "instr(body, $u) > 0 AND instr(body, $t) > 0";

    public string Section => "jobs";

    public Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = SqliteDatabase.Command(c, null, $"SELECT queue, message_id, body, dead_lettered FROM queue_messages WHERE {Match}", ("$u", userId.Value), ("$t", Quoted(tenantId)));
            return new PersonalDataSection(Section, SqliteDatabase.ReadAll(command, r => new PersonalDataRecord("queued_job", new Dictionary<string, string?>(StringComparer.Ordinal)
            {
                ["queue"] = r.GetString(0),
                ["message_id"] = r.GetString(1),
                ["body"] = r.GetString(2),
                ["dead_lettered"] = r.GetInt64(3) != 0 ? "true" : "false",
            })));
        }));

    public Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        db.WriteAsync(w => w.Execute($"DELETE FROM queue_messages WHERE {Match}", ("$u", userId.Value), ("$t", Quoted(tenantId))), cancellationToken);

    private static string Quoted(TenantId tenantId) => $"\"{tenantId.Value}\"";
}
