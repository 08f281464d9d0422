using System.Text.Json;
using Microsoft.Data.Sqlite;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Offers in the embedded store: the offer row, one index row per pin code (the list by pin code is a key range), and
/// one row per like; the like count changes in the same unit of work as the like row, so it is always exact.
/// </summary>
public sealed class SqliteOfferStore(SqliteDatabase db) : IOfferStore
{
    private const string Columns = "o.id, o.tenant_id, o.shopkeeper_id, o.title, o.description, o.discount_percent, o.pin_codes, o.valid_from_ms, o.valid_until_ms, o.like_count, o.created_at_ms, o.updated_at_ms";

    public Task CreateAsync(Offer offer, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                w.Execute(
                    "INSERT INTO offers (tenant_id, id, shopkeeper_id, title, description, discount_percent, pin_codes, valid_from_ms, valid_until_ms, like_count, created_at_ms, updated_at_ms) VALUES ($t, $id, $s, $title, $d, $p, $pins, $from, $until, 0, $c, $u)",
                    ("$t", offer.TenantId.Value), ("$id", offer.Id), ("$s", offer.ShopkeeperId.Value), ("$title", offer.Title), ("$d", offer.Description), ("$p", offer.DiscountPercent), ("$pins", JsonSerializer.Serialize(offer.PinCodes)), ("$from", offer.ValidFrom.ToUnixTimeMilliseconds()), ("$until", offer.ValidUntil.ToUnixTimeMilliseconds()), ("$c", offer.CreatedAt.ToUnixTimeMilliseconds()), ("$u", offer.UpdatedAt.ToUnixTimeMilliseconds()));
                WritePins(w, offer);
                return true;
            },
            cancellationToken);

    public Task<Offer?> GetAsync(TenantId tenantId, string offerId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            using var command = Command(c, null, $"SELECT {Columns} FROM offers o WHERE o.tenant_id = $t AND o.id = $id", ("$t", tenantId.Value), ("$id", offerId));
            return ReadAll(command, Read).FirstOrDefault();
        }));

    public Task<bool> UpdateAsync(Offer offer, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var changed = w.Execute(
                    "UPDATE offers SET title = $title, description = $d, discount_percent = $p, pin_codes = $pins, valid_from_ms = $from, valid_until_ms = $until, updated_at_ms = $u WHERE tenant_id = $t AND id = $id",
                    ("$title", offer.Title), ("$d", offer.Description), ("$p", offer.DiscountPercent), ("$pins", JsonSerializer.Serialize(offer.PinCodes)), ("$from", offer.ValidFrom.ToUnixTimeMilliseconds()), ("$until", offer.ValidUntil.ToUnixTimeMilliseconds()), ("$u", offer.UpdatedAt.ToUnixTimeMilliseconds()), ("$t", offer.TenantId.Value), ("$id", offer.Id));
                if (changed == 0)
                {
                    return false;
                }

                w.Execute("DELETE FROM offer_pin_codes WHERE tenant_id = $t AND offer_id = $id", ("$t", offer.TenantId.Value), ("$id", offer.Id));
                WritePins(w, offer);
                return true;
            },
            cancellationToken);

    public Task<bool> DeleteAsync(TenantId tenantId, string offerId, CancellationToken cancellationToken) =>
        db.WriteAsync(w => Delete(w, tenantId, offerId), cancellationToken);

    public Task<IReadOnlyList<Offer>> ListActiveAsync(TenantId tenantId, string pinCode, DateTimeOffset now, string? after, int pageSize, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Offer>>(db.Read(c =>
        {
            using var command = Command(
                c,
                null,
                $"SELECT {Columns} FROM offer_pin_codes p JOIN offers o ON o.tenant_id = p.tenant_id AND o.id = p.offer_id WHERE p.tenant_id = $t AND p.pin_code = $pin AND p.offer_id > $after AND o.valid_from_ms <= $now AND o.valid_until_ms > $now ORDER BY p.offer_id LIMIT $n",
                ("$t", tenantId.Value), ("$pin", pinCode), ("$after", after ?? ""), ("$now", now.ToUnixTimeMilliseconds()), ("$n", pageSize));
            return ReadAll(command, Read);
        }));

    public Task<long?> LikeAsync(TenantId tenantId, string offerId, UserId userId, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                if (w.Scalar("SELECT 1 FROM offers WHERE tenant_id = $t AND id = $id", ("$t", tenantId.Value), ("$id", offerId)) is null)
                {
                    return (long?)null;
                }

                if (w.Execute("INSERT OR IGNORE INTO offer_likes (tenant_id, offer_id, user_id) VALUES ($t, $id, $u)", ("$t", tenantId.Value), ("$id", offerId), ("$u", userId.Value)) > 0)
                {
                    w.Execute("UPDATE offers SET like_count = like_count + 1 WHERE tenant_id = $t AND id = $id", ("$t", tenantId.Value), ("$id", offerId));
                }

                return (long?)Convert.ToInt64(w.Scalar("SELECT like_count FROM offers WHERE tenant_id = $t AND id = $id", ("$t", tenantId.Value), ("$id", offerId)), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken);

    public Task<long?> UnlikeAsync(TenantId tenantId, string offerId, UserId userId, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                if (w.Scalar("SELECT 1 FROM offers WHERE tenant_id = $t AND id = $id", ("$t", tenantId.Value), ("$id", offerId)) is null)
                {
                    return (long?)null;
                }

                if (w.Execute("DELETE FROM offer_likes WHERE tenant_id = $t AND offer_id = $id AND user_id = $u", ("$t", tenantId.Value), ("$id", offerId), ("$u", userId.Value)) > 0)
                {
                    w.Execute("UPDATE offers SET like_count = like_count - 1 WHERE tenant_id = $t AND id = $id", ("$t", tenantId.Value), ("$id", offerId));
                }

                return (long?)Convert.ToInt64(w.Scalar("SELECT like_count FROM offers WHERE tenant_id = $t AND id = $id", ("$t", tenantId.Value), ("$id", offerId)), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken);

    public Task<int> DeleteExpiredAsync(TenantId tenantId, DateTimeOffset now, int max, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w =>
            {
                var ids = new List<string>();
                using (var reader = w.Query("SELECT id FROM offers WHERE tenant_id = $t AND valid_until_ms <= $now ORDER BY valid_until_ms LIMIT $n", ("$t", tenantId.Value), ("$now", now.ToUnixTimeMilliseconds()), ("$n", max)))
                {
                    while (reader.Read())
                    {
                        ids.Add(reader.GetString(0));
                    }
                }

                return ids.Count(id => Delete(w, tenantId, id));
            },
            cancellationToken);

    private static bool Delete(SqliteWriter w, TenantId tenantId, string offerId)
    {
        w.Execute("DELETE FROM offer_pin_codes WHERE tenant_id = $t AND offer_id = $id", ("$t", tenantId.Value), ("$id", offerId));
        w.Execute("DELETE FROM offer_likes WHERE tenant_id = $t AND offer_id = $id", ("$t", tenantId.Value), ("$id", offerId));
        return w.Execute("DELETE FROM offers WHERE tenant_id = $t AND id = $id", ("$t", tenantId.Value), ("$id", offerId)) > 0;
    }

    private static void WritePins(SqliteWriter w, Offer offer)
    {
        foreach (var pin in offer.PinCodes)
        {
            w.Execute("INSERT OR IGNORE INTO offer_pin_codes (tenant_id, pin_code, offer_id) VALUES ($t, $pin, $id)", ("$t", offer.TenantId.Value), ("$pin", pin), ("$id", offer.Id));
        }
    }

    private static Offer Read(SqliteDataReader r) => new(
        r.GetString(0),
        TenantId.Parse(r.GetString(1)),
        UserId.Parse(r.GetString(2)),
        r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.GetInt32(5),
        JsonSerializer.Deserialize<List<string>>(r.GetString(6)) ?? [],
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
        r.GetInt64(9),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(11)));
}
