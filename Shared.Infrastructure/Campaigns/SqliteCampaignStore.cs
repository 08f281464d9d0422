using System.Globalization;
using System.Text.Json;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Campaigns in the embedded store: the campaign as a JSON document with a version (replaces are conditional on it),
/// its recipients (one row each, numbered by batch), its batches (done or not) and its deliveries, whose primary key
/// (tenant, campaign, recipient, channel) makes each one recorded once (<c>INSERT OR IGNORE</c>). The snapshot is
/// one unit of work: the recipients and the campaign's batch count are written together or not at all.
/// </summary>
public sealed class SqliteCampaignStore(SqliteDatabase db) : ICampaignStore
{
    public Task<CampaignCreation> TryCreateAsync(Campaign campaign, int maxActive, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                // One unit of work under the single writer: the count and the insert see the same rows, so concurrent
                // creates can never take more than maxActive places between them.
                var (t, id, s) = (("$t", (object?)campaign.TenantId.Value), ("$id", (object?)campaign.Id), ("$s", (object?)campaign.ShopkeeperId.Value));
                if (w.Scalar("SELECT 1 FROM campaigns WHERE tenant_id = $t AND id = $id", t, id) is not null)
                {
                    return CampaignCreation.Exists;
                }

                if (IsActive(campaign) && Convert.ToInt64(w.Scalar("SELECT COUNT(*) FROM campaigns WHERE tenant_id = $t AND shopkeeper_id = $s AND active = 1", t, s), CultureInfo.InvariantCulture) >= maxActive)
                {
                    return CampaignCreation.TooManyActive;
                }

                w.Execute("INSERT INTO campaigns (tenant_id, id, shopkeeper_id, version, doc, active) VALUES ($t, $id, $s, 1, $doc, $a)", t, id, s, ("$doc", Serialize(campaign)), ("$a", IsActive(campaign) ? 1 : 0));
                return CampaignCreation.Created;
            },
            cancellationToken);

    /// <summary>Queued or dispatching: what counts against the shopkeeper's cap (the <c>active</c> column, rewritten with every write of the campaign).</summary>
    private static bool IsActive(Campaign campaign) => campaign.Status is CampaignStatus.Queued or CampaignStatus.Dispatching;

    public Task<Campaign?> GetAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT version, doc FROM campaigns WHERE tenant_id = $t AND id = $id", ("$t", tenantId.Value), ("$id", campaignId));
            return ReadAll(command, r => Deserialize(r.GetString(1), r.GetInt64(0))).FirstOrDefault();
        }));

    public Task<Campaign?> TryReplaceAsync(Campaign next, CancellationToken cancellationToken) =>
        db.WriteAsync(w => Replace(w, next), cancellationToken);

    public Task<Campaign?> SaveSnapshotAsync(Campaign next, IReadOnlyList<IReadOnlyList<CampaignRecipient>> batches, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                if (Replace(w, next) is not { } stored)
                {
                    return null; // rolled back with nothing else written
                }

                var (t, id) = (("$t", (object?)next.TenantId.Value), ("$c", (object?)next.Id));
                for (var n = 0; n < batches.Count; n++)
                {
                    w.Execute("INSERT INTO campaign_batches (tenant_id, campaign_id, batch, done) VALUES ($t, $c, $n, 0)", t, id, ("$n", n));
                    foreach (var recipient in batches[n])
                    {
                        w.Execute(
                            "INSERT INTO campaign_recipients (tenant_id, campaign_id, user_id, batch, channels) VALUES ($t, $c, $u, $n, $ch)",
                            t, id, ("$u", recipient.UserId.Value), ("$n", n), ("$ch", string.Join(',', recipient.Channels.Select(CampaignChannels.Format))));
                    }
                }

                return stored;
            },
            cancellationToken);

    public Task<CampaignBatch?> GetBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            var args = new (string, object?)[] { ("$t", tenantId.Value), ("$c", campaignId), ("$n", batch) };
            using var done = Command(c, null, "SELECT done FROM campaign_batches WHERE tenant_id = $t AND campaign_id = $c AND batch = $n", args);
            if (done.ExecuteScalar() is not long flag)
            {
                return null;
            }

            using var recipients = Command(c, null, "SELECT user_id, channels FROM campaign_recipients WHERE tenant_id = $t AND campaign_id = $c AND batch = $n ORDER BY user_id", args);
            using var deliveries = Command(c, null, "SELECT user_id, channel, status FROM campaign_deliveries WHERE tenant_id = $t AND campaign_id = $c AND batch = $n", args);
            return new CampaignBatch(
                batch,
                ReadAll(recipients, r => new CampaignRecipient(UserId.Parse(r.GetString(0)), [.. r.GetString(1).Split(',').Select(CampaignChannels.Parse)])),
                ReadAll(deliveries, r => new CampaignDelivery(UserId.Parse(r.GetString(0)), CampaignChannels.Parse(r.GetString(1)), CampaignChannels.ParseDelivery(r.GetString(2)))),
                flag == 1);
        }));

    public Task RecordDeliveriesAsync(TenantId tenantId, string campaignId, int batch, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                foreach (var d in deliveries)
                {
                    // A recipient erased since the batch was read has its row under the pseudonym only: the delivery is
                    // recorded under it too, so the erased id is never written back (and the charge stays).
                    w.Execute(
                        "INSERT OR IGNORE INTO campaign_deliveries (tenant_id, campaign_id, user_id, channel, batch, status) SELECT $t, $c, "
                            + "CASE WHEN EXISTS (SELECT 1 FROM campaign_recipients WHERE tenant_id = $t AND campaign_id = $c AND user_id = $u) THEN $u ELSE $p END, $ch, $n, $s",
                        ("$t", tenantId.Value), ("$c", campaignId), ("$u", d.UserId.Value), ("$p", ErasedUserKey.PseudonymOf(tenantId, d.UserId).Value), ("$ch", CampaignChannels.Format(d.Channel)), ("$n", batch), ("$s", CampaignChannels.Format(d.Status)));
                }

                return deliveries.Count;
            },
            cancellationToken);

    public Task<int> CompleteBatchAsync(TenantId tenantId, string campaignId, int batch, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var (t, c, n) = (("$t", (object?)tenantId.Value), ("$c", (object?)campaignId), ("$n", (object?)batch));
                if (w.Execute("UPDATE campaign_batches SET done = 1 WHERE tenant_id = $t AND campaign_id = $c AND batch = $n AND done = 0", t, c, n) == 1)
                {
                    // Done now, not before: its deliveries join the campaign's running totals in the same unit of work.
                    var counts = new Dictionary<DeliveryStatus, long>();
                    using (var reader = w.Query("SELECT status, COUNT(*) FROM campaign_deliveries WHERE tenant_id = $t AND campaign_id = $c AND batch = $n GROUP BY status", t, c, n))
                    {
                        while (reader.Read())
                        {
                            counts[CampaignChannels.ParseDelivery(reader.GetString(0))] = reader.GetInt64(1);
                        }
                    }

                    Campaign current;
                    using (var reader = w.Query("SELECT version, doc FROM campaigns WHERE tenant_id = $t AND id = $c", t, c))
                    {
                        current = reader.Read() ? Deserialize(reader.GetString(1), reader.GetInt64(0)) : throw new InvalidOperationException($"Campaign {campaignId} of batch {batch} does not exist.");
                    }

                    _ = Replace(w, current with
                    {
                        Sent = current.Sent + counts.GetValueOrDefault(DeliveryStatus.Delivered),
                        Failed = current.Failed + counts.GetValueOrDefault(DeliveryStatus.Failed),
                        Skipped = current.Skipped + counts.GetValueOrDefault(DeliveryStatus.Skipped),
                    }) ?? throw new InvalidOperationException($"Campaign {campaignId} changed inside its own write.");
                }

                return Convert.ToInt32(w.Scalar("SELECT COUNT(*) FROM campaign_batches WHERE tenant_id = $t AND campaign_id = $c AND done = 1", ("$t", tenantId.Value), ("$c", campaignId)), CultureInfo.InvariantCulture);
            },
            cancellationToken);

    public Task<CampaignTotals> TotalsAsync(TenantId tenantId, string campaignId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, "SELECT channel, status, COUNT(*) FROM campaign_deliveries WHERE tenant_id = $t AND campaign_id = $c GROUP BY channel, status", ("$t", tenantId.Value), ("$c", campaignId));
            return CampaignTotals.From(ReadAll(command, r => (CampaignChannels.Parse(r.GetString(0)), CampaignChannels.ParseDelivery(r.GetString(1)), r.GetInt64(2))));
        }));

    private static Campaign? Replace(SqliteWriter w, Campaign next)
    {
        var version = long.Parse(next.Revision ?? throw new ArgumentException("A replace needs the revision read.", nameof(next)), CultureInfo.InvariantCulture);
        var changed = w.Execute(
            "UPDATE campaigns SET version = version + 1, doc = $doc, active = $a WHERE tenant_id = $t AND id = $id AND version = $v",
            ("$doc", Serialize(next)), ("$a", IsActive(next) ? 1 : 0), ("$t", next.TenantId.Value), ("$id", next.Id), ("$v", version));
        return changed == 0 ? null : next with { Revision = (version + 1).ToString(CultureInfo.InvariantCulture) };
    }

    private static string Serialize(Campaign campaign) => JsonSerializer.Serialize(CampaignDocument.From(campaign), WireJson.Options);

    private static Campaign Deserialize(string doc, long version) =>
        (JsonSerializer.Deserialize<CampaignDocument>(doc, WireJson.Options) ?? throw new InvalidOperationException("An empty campaign document."))
            .ToCampaign(version.ToString(CultureInfo.InvariantCulture));
}
