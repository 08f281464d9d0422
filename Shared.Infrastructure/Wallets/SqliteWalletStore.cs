using Microsoft.Data.Sqlite;
using Shared.Domain.Wallets;
using Shared.Infrastructure.Sqlite;
using static Shared.Infrastructure.Sqlite.SqliteDatabase;

namespace Shared.Infrastructure.Wallets;

/// <summary>
/// Wallets in the embedded store. Every operation is one unit of work on the single writer (its own savepoint inside
/// the writer's transaction): the key lookup, the state read, <see cref="WalletLedger.Plan"/>, and the writes of the
/// entries, the holds and the wallet row happen with no other write in between, so concurrent debits are serialized
/// and the ledger and the balance change together or not at all (the table's CHECKs refuse a negative balance too).
/// </summary>
public sealed class SqliteWalletStore(SqliteDatabase db, TimeProvider time) : IWalletStore
{
    private const string EntryColumns = "id, seq, kind, amount, held_delta, balance_after, held_after, idempotency_key, reference, requested, created_at_ms";
    private const string Where = "tenant_id = $t AND user_id = $u AND wallet_kind = $k";

    public Task<WalletResult> ApplyAsync(WalletKey wallet, WalletOperation operation, CancellationToken cancellationToken) =>
        db.WriteAsync(w => Apply(w, wallet, operation), cancellationToken);

    private WalletResult Apply(SqliteWriter w, WalletKey wallet, WalletOperation operation)
    {
        var (t, u, k) = Args(wallet);
        var existing = FindEntries(w, wallet, operation);
        var state = ReadState(w, wallet, operation);
        if (existing.Count > 0)
        {
            var replay = WalletLedger.Replay(existing[0], operation);
            return new WalletResult(replay, replay == WalletOutcome.Replayed ? existing : [], state.Balance);
        }

        var plan = WalletLedger.Plan(state, operation, time.GetUtcNow(), NewEntryId);
        if (plan.Outcome != WalletOutcome.Applied)
        {
            return WalletResult.Refused(plan.Outcome, state.Balance);
        }

        foreach (var e in plan.Entries)
        {
            w.Execute(
                $"INSERT INTO wallet_entries (tenant_id, user_id, wallet_kind, {EntryColumns}) VALUES ($t, $u, $k, $id, $seq, $kind, $amount, $held, $ba, $ha, $key, $ref, $req, $at)",
                t, u, k, ("$id", e.Id), ("$seq", e.Sequence), ("$kind", WalletText.Format(e.Kind)), ("$amount", e.Amount), ("$held", e.HeldDelta), ("$ba", e.BalanceAfter), ("$ha", e.HeldAfter), ("$key", e.IdempotencyKey), ("$ref", e.Reference), ("$req", e.Requested), ("$at", e.CreatedAt.ToUnixTimeMilliseconds()));
        }

        if (plan.OpenedHold is { } opened)
        {
            w.Execute("INSERT INTO wallet_holds (tenant_id, user_id, wallet_kind, hold_key, amount) VALUES ($t, $u, $k, $h, $a)", t, u, k, ("$h", opened), ("$a", plan.After.OpenHolds[opened]));
        }

        if (plan.ClosedHold is { } closed)
        {
            w.Execute($"DELETE FROM wallet_holds WHERE {Where} AND hold_key = $h", t, u, k, ("$h", closed));
        }

        w.Execute(
            "INSERT INTO wallets (tenant_id, user_id, kind, balance, held, seq) VALUES ($t, $u, $k, $b, $h, $s) ON CONFLICT (tenant_id, user_id, kind) DO UPDATE SET balance = excluded.balance, held = excluded.held, seq = excluded.seq",
            t, u, k, ("$b", plan.After.Balance.Balance), ("$h", plan.After.Balance.Held), ("$s", plan.After.Sequence));
        return new WalletResult(WalletOutcome.Applied, plan.Entries, plan.After.Balance);
    }

    public Task<WalletBalance> GetBalanceAsync(WalletKey wallet, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            var (t, u, k) = Args(wallet);
            using var command = Command(c, null, "SELECT balance, held FROM wallets WHERE tenant_id = $t AND user_id = $u AND kind = $k", t, u, k);
            return ReadAll(command, r => new WalletBalance(r.GetInt64(0), r.GetInt64(1))).FirstOrDefault() ?? WalletBalance.Empty;
        }));

    public Task<IReadOnlyDictionary<string, long>> ListOpenHoldsAsync(WalletKey wallet, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyDictionary<string, long>>(db.Read(c =>
        {
            var (t, u, k) = Args(wallet);
            using var command = Command(c, null, $"SELECT hold_key, amount FROM wallet_holds WHERE {Where}", t, u, k);
            return ReadAll(command, r => (Key: r.GetString(0), Amount: r.GetInt64(1))).ToDictionary(h => h.Key, h => h.Amount, StringComparer.Ordinal);
        }));

    public Task<IReadOnlyList<LedgerEntry>> ListEntriesAsync(WalletKey wallet, long? before, int pageSize, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<LedgerEntry>>(db.Read(c =>
        {
            var (t, u, k) = Args(wallet);
            using var command = Command(c, null, $"SELECT {EntryColumns} FROM wallet_entries WHERE {Where} AND seq < $before ORDER BY seq DESC LIMIT $n", t, u, k, ("$before", before ?? long.MaxValue), ("$n", pageSize));
            return ReadAll(command, ReadEntry);
        }));

    private static List<LedgerEntry> FindEntries(SqliteWriter w, WalletKey wallet, WalletOperation operation)
    {
        var (t, u, k) = Args(wallet);
        var keys = operation.Type == WalletOperationType.Settle ? new[] { operation.IdempotencyKey, WalletOperation.ReleaseKey(operation.HoldKey!) } : [operation.IdempotencyKey];
        var found = new List<LedgerEntry>(keys.Length);
        foreach (var key in keys)
        {
            using var reader = w.Query($"SELECT {EntryColumns} FROM wallet_entries WHERE {Where} AND idempotency_key = $key", t, u, k, ("$key", key));
            if (reader.Read())
            {
                found.Add(ReadEntry(reader));
            }
            else
            {
                break; // the first entry decides; a settlement's release exists only with its charge
            }
        }

        return found;
    }

    private static WalletState ReadState(SqliteWriter w, WalletKey wallet, WalletOperation operation)
    {
        var (t, u, k) = Args(wallet);
        WalletBalance balance;
        long seq;
        using (var reader = w.Query("SELECT balance, held, seq FROM wallets WHERE tenant_id = $t AND user_id = $u AND kind = $k", t, u, k))
        {
            (balance, seq) = reader.Read() ? (new WalletBalance(reader.GetInt64(0), reader.GetInt64(1)), reader.GetInt64(2)) : (WalletBalance.Empty, 0L);
        }

        var holds = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var reader = w.Query($"SELECT hold_key, amount FROM wallet_holds WHERE {Where}", t, u, k))
        {
            while (reader.Read())
            {
                holds[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        long refunded = 0;
        if (operation.Type == WalletOperationType.DebitUpTo)
        {
            refunded = Convert.ToInt64(w.Scalar($"SELECT COALESCE(SUM(requested), 0) FROM wallet_entries WHERE {Where} AND kind = 'refund' AND reference = $ref", t, u, k, ("$ref", operation.Reference)), System.Globalization.CultureInfo.InvariantCulture);
        }

        long shortfall = 0;
        if (operation.Type == WalletOperationType.Credit && operation.Kind == LedgerEntryKind.TopUp && operation.Reference is not null)
        {
            shortfall = Convert.ToInt64(w.Scalar($"SELECT COALESCE(SUM(requested + amount), 0) FROM wallet_entries WHERE {Where} AND kind = 'refund' AND reference = $ref", t, u, k, ("$ref", operation.Reference)), System.Globalization.CultureInfo.InvariantCulture);
        }

        return new WalletState(balance, seq, holds, refunded, shortfall);
    }

    private static LedgerEntry ReadEntry(SqliteDataReader r) => new(
        r.GetString(0),
        r.GetInt64(1),
        WalletText.ParseKind(r.GetString(2)),
        r.GetInt64(3),
        r.GetInt64(4),
        r.GetInt64(5),
        r.GetInt64(6),
        r.GetString(7),
        r.IsDBNull(8) ? null : r.GetString(8),
        r.GetInt64(9),
        DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(10)));

    private static ((string, object?) T, (string, object?) U, (string, object?) K) Args(WalletKey wallet) =>
        (("$t", wallet.TenantId.Value), ("$u", wallet.UserId.Value), ("$k", WalletText.Format(wallet.Kind)));

    internal static string NewEntryId() => "we_" + Guid.NewGuid().ToString("N");
}
