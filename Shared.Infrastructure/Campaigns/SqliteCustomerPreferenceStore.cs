using System.Text;
using System.Text.Json;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Customers' preferences in the embedded store: one row per customer (consent per channel) and one index row per
/// registered pin code, written together. The audience query is a key range per pin code (primary key
/// tenant, pin code, user) joined to the consent row, deduplicated and ordered by user id for keyset paging.
/// </summary>
public sealed class SqliteCustomerPreferenceStore(SqliteDatabase db) : ICustomerPreferenceStore
{
    public Task PutAsync(CustomerPreferences preferences, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var (t, u) = (("$t", (object?)preferences.TenantId.Value), ("$u", (object?)preferences.UserId.Value));
                w.Execute(
                    "INSERT INTO customer_preferences (tenant_id, user_id, pin_codes, in_app, push, whatsapp, updated_at_ms) VALUES ($t, $u, $pins, $a, $p, $w, $at) ON CONFLICT (tenant_id, user_id) DO UPDATE SET pin_codes = excluded.pin_codes, in_app = excluded.in_app, push = excluded.push, whatsapp = excluded.whatsapp, updated_at_ms = excluded.updated_at_ms",
                    t, u, ("$pins", JsonSerializer.Serialize(preferences.PinCodes)), ("$a", preferences.Channels.InApp ? 1 : 0), ("$p", preferences.Channels.Push ? 1 : 0), ("$w", preferences.Channels.WhatsApp ? 1 : 0), ("$at", preferences.UpdatedAt.ToUnixTimeMilliseconds()));
                w.Execute("DELETE FROM customer_pin_codes WHERE tenant_id = $t AND user_id = $u", t, u);
                foreach (var pin in preferences.PinCodes)
                {
                    w.Execute("INSERT OR IGNORE INTO customer_pin_codes (tenant_id, pin_code, user_id) VALUES ($t, $pin, $u)", t, ("$pin", pin), u);
                }

                return true;
            },
            cancellationToken);

    public Task<CustomerPreferences?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT pin_codes, in_app, push, whatsapp, updated_at_ms FROM customer_preferences WHERE tenant_id = $t AND user_id = $u", ("$t", tenantId.Value), ("$u", userId.Value));
            return ReadAll(command, r => new CustomerPreferences(tenantId, userId, JsonSerializer.Deserialize<List<string>>(r.GetString(0)) ?? [], new ChannelConsent(r.GetInt64(1) == 1, r.GetInt64(2) == 1, r.GetInt64(3) == 1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)))).FirstOrDefault();
        }));

    public Task<IReadOnlyDictionary<UserId, ChannelConsent>> GetConsentAsync(TenantId tenantId, IReadOnlyList<UserId> userIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<UserId, ChannelConsent>>(db.Read(c =>
        {
            var result = new Dictionary<UserId, ChannelConsent>();
            foreach (var chunk in userIds.Chunk(500))
            {
                var parameters = new List<(string, object?)> { ("$t", tenantId.Value) };
                var names = new StringBuilder();
                for (var i = 0; i < chunk.Length; i++)
                {
                    names.Append(i == 0 ? "" : ", ").Append("$u").Append(i);
                    parameters.Add(("$u" + i, chunk[i].Value));
                }

                using var command = Command(c, null, $"SELECT user_id, in_app, push, whatsapp FROM customer_preferences WHERE tenant_id = $t AND user_id IN ({names})", [.. parameters]);
                foreach (var (user, consent) in ReadAll(command, r => (UserId.Parse(r.GetString(0)), new ChannelConsent(r.GetInt64(1) == 1, r.GetInt64(2) == 1, r.GetInt64(3) == 1))))
                {
                    result[user] = consent;
                }
            }

            return result;
        }));

    public Task<IReadOnlyList<AudienceMember>> ListAudienceAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, UserId? after, int pageSize, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AudienceMember>>(db.Read(c =>
        {
            if (pinCodes.Count == 0 || channels.Count == 0)
            {
                return [];
            }

            var parameters = new List<(string, object?)> { ("$t", tenantId.Value), ("$after", after?.Value ?? ""), ("$n", pageSize) };
            var pins = string.Join(", ", pinCodes.Select((pin, i) =>
            {
                parameters.Add(("$p" + i, pin));
                return "$p" + i;
            }));
            var consent = string.Join(" OR ", channels.Select(ch => "c." + Column(ch) + " = 1"));
            // Both shapes walk an index in user id order, so a page costs its own rows, never a sort of the whole audience:
            // one pin code reads its key range (tenant, pin, user); several walk the tenant's customers by user id and
            // keep those registered in any of the pin codes (a customer in two of them appears once).
            var sql = pinCodes.Count == 1
                ? $"SELECT c.user_id, c.in_app, c.push, c.whatsapp FROM customer_pin_codes p JOIN customer_preferences c ON c.tenant_id = p.tenant_id AND c.user_id = p.user_id WHERE p.tenant_id = $t AND p.pin_code = $p0 AND p.user_id > $after AND ({consent}) ORDER BY p.user_id LIMIT $n"
                : $"SELECT c.user_id, c.in_app, c.push, c.whatsapp FROM customer_preferences c WHERE c.tenant_id = $t AND c.user_id > $after AND ({consent}) AND EXISTS (SELECT 1 FROM customer_pin_codes p WHERE p.tenant_id = c.tenant_id AND p.user_id = c.user_id AND p.pin_code IN ({pins})) ORDER BY c.user_id LIMIT $n";
            using var command = Command(c, null, sql, [.. parameters]);
            return ReadAll(command, r =>
            {
                var granted = new ChannelConsent(r.GetInt64(1) == 1, r.GetInt64(2) == 1, r.GetInt64(3) == 1);
                return new AudienceMember(UserId.Parse(r.GetString(0)), [.. channels.Where(granted.Allows)]);
            });
        }));

    public Task<AudienceCount> CountAudienceAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            var distinct = channels.Distinct().ToList();
            if (pinCodes.Count == 0 || distinct.Count == 0)
            {
                return new AudienceCount(0, distinct.ToDictionary(ch => ch, _ => 0L));
            }

            // The audience query's two shapes, counted: each customer once (a row of customer_preferences), and per
            // channel the sum of its consent flag over them.
            var parameters = new List<(string, object?)> { ("$t", tenantId.Value) };
            var pins = string.Join(", ", pinCodes.Select((pin, i) =>
            {
                parameters.Add(("$p" + i, pin));
                return "$p" + i;
            }));
            var consent = string.Join(" OR ", channels.Select(ch => "c." + Column(ch) + " = 1"));
            var sums = string.Join(", ", distinct.Select(ch => $"COALESCE(SUM(c.{Column(ch)}), 0)"));
            var sql = pinCodes.Count == 1
                ? $"SELECT COUNT(*), {sums} FROM customer_pin_codes p JOIN customer_preferences c ON c.tenant_id = p.tenant_id AND c.user_id = p.user_id WHERE p.tenant_id = $t AND p.pin_code = $p0 AND ({consent})"
                : $"SELECT COUNT(*), {sums} FROM customer_preferences c WHERE c.tenant_id = $t AND ({consent}) AND EXISTS (SELECT 1 FROM customer_pin_codes p WHERE p.tenant_id = c.tenant_id AND p.user_id = c.user_id AND p.pin_code IN ({pins}))";
            using var command = Command(c, null, sql, [.. parameters]);
            return ReadAll(command, r => new AudienceCount(r.GetInt64(0), distinct.Select((ch, i) => (ch, r.GetInt64(i + 1))).ToDictionary(x => x.ch, x => x.Item2))).Single();
        }));

    private static string Column(NotificationChannel channel) => CampaignChannels.Format(channel);
}
