using Microsoft.Data.Sqlite;

namespace Shared.Infrastructure.Sqlite;

/// <summary>
/// Applies the features' <see cref="SqliteMigration"/>s to a file: those not yet recorded in <c>schema_migrations</c>
/// (id, applied_at_ms), in a deterministic order that respects <see cref="SqliteMigration.After"/> (ties by id), all in one
/// IMMEDIATE transaction, so two processes opening the same file never apply one twice and a failure leaves nothing half
/// done. Files written by earlier versions carry a <c>user_version</c> ladder (steps 1–9, several features per step)
/// instead: such a file is recognised once, the migrations equivalent to its steps are recorded without running
/// (<see cref="SqliteMigration.LadderStep"/>), the rest run. A row <c>legacy-user-version-N</c> keeps that baseline, so a
/// feature registered only later (the embedded queue's file opened by the full store) is recognised the same way.
/// </summary>
public static class SqliteMigrationRunner
{
    /// <summary>The highest step of the old ladder.</summary>
    public const int LastLadderStep = 9;

    /// <summary>
    /// The <c>user_version</c> a file gets once it is managed by migrations: above every ladder step, so an older binary
    /// (whose ladder stops at 9) finds nothing to do instead of re-running its steps.
    /// </summary>
    public const int MigrationsUserVersion = LastLadderStep + 1;

    private const string LegacyPrefix = "legacy-user-version-";

    /// <summary>
    /// The order migrations run in: each after its feature's previous one and everything its
    /// <see cref="SqliteMigration.After"/> names; among those ready at once, by id (ordinal). Throws for duplicate ids, a dependency nobody registered, or a cycle.
    /// </summary>
    public static IReadOnlyList<SqliteMigration> Order(IEnumerable<SqliteMigration> migrations)
    {
        var byId = new Dictionary<string, SqliteMigration>(StringComparer.Ordinal);
        foreach (var migration in migrations)
        {
            if (byId.TryGetValue(migration.Id, out var registered) && !ReferenceEquals(registered, migration))
            {
                throw new InvalidOperationException($"Two different SQLite migrations are registered as '{migration.Id}'.");
            }

            byId[migration.Id] = migration;
        }

        // A feature's migrations run in number order: each implicitly after the feature's previous one.
        var previousInFeature = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var feature in byId.Values.GroupBy(m => m.Feature, StringComparer.Ordinal))
        {
            var numbered = feature.OrderBy(m => m.Number).ToList();
            for (var i = 1; i < numbered.Count; i++)
            {
                if (numbered[i].Number == numbered[i - 1].Number)
                {
                    throw new InvalidOperationException($"SQLite migrations '{numbered[i - 1].Id}' and '{numbered[i].Id}' have the same number.");
                }

                previousInFeature[numbered[i].Id] = numbered[i - 1].Id;
            }
        }

        var waitingOn = new Dictionary<string, int>(StringComparer.Ordinal);
        var dependents = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var migration in byId.Values)
        {
            waitingOn[migration.Id] = 0;
            IEnumerable<string> after = previousInFeature.TryGetValue(migration.Id, out var previous) ? [previous, .. migration.After] : migration.After;
            foreach (var dependency in after.Distinct(StringComparer.Ordinal))
            {
                if (!byId.ContainsKey(dependency))
                {
                    throw new InvalidOperationException($"SQLite migration '{migration.Id}' must run after '{dependency}', which no feature registered.");
                }

                waitingOn[migration.Id]++;
                (dependents.TryGetValue(dependency, out var list) ? list : dependents[dependency] = []).Add(migration.Id);
            }
        }

        var ready = new SortedSet<string>(waitingOn.Where(w => w.Value == 0).Select(w => w.Key), StringComparer.Ordinal);
        var order = new List<SqliteMigration>(byId.Count);
        while (ready.Min is { } next)
        {
            ready.Remove(next);
            order.Add(byId[next]);
            foreach (var dependent in dependents.GetValueOrDefault(next) ?? [])
            {
                if (--waitingOn[dependent] == 0)
                {
                    ready.Add(dependent);
                }
            }
        }

        if (order.Count != byId.Count)
        {
            var stuck = byId.Keys.Except(order.Select(m => m.Id), StringComparer.Ordinal).Order(StringComparer.Ordinal);
            throw new InvalidOperationException($"SQLite migrations depend on each other in a cycle: {string.Join(", ", stuck)}.");
        }

        return order;
    }

    /// <summary>
    /// Brings the file up to date; returns the ids run now (those only recorded because an old ladder step made them
    /// already are left out). Running it again on an up-to-date file changes nothing.
    /// </summary>
    public static IReadOnlyList<string> Run(SqliteConnection connection, IEnumerable<SqliteMigration> migrations, DateTimeOffset now)
    {
        var ordered = Order(migrations);
        var nowMs = now.ToUnixTimeMilliseconds();
        using var transaction = connection.BeginTransaction(deferred: false);
        var hasLedger = SqliteDatabase.Scalar(connection, transaction, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'") is not null;
        if (!hasLedger)
        {
            var ladder = Convert.ToInt32(SqliteDatabase.Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture);
            if (ladder > LastLadderStep)
            {
                throw new InvalidOperationException($"'{connection.DataSource}' is at user_version {ladder} without a schema_migrations table: written by a version this one does not know.");
            }

            SqliteDatabase.Execute(connection, transaction, "CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, applied_at_ms INTEGER NOT NULL) WITHOUT ROWID;");
            if (ladder > 0)
            {
                Record(connection, transaction, LegacyPrefix + ladder.ToString(System.Globalization.CultureInfo.InvariantCulture), nowMs);
            }
        }

        var recorded = new HashSet<string>(StringComparer.Ordinal);
        using (var command = SqliteDatabase.Command(connection, transaction, "SELECT id FROM schema_migrations"))
        {
            recorded.UnionWith(SqliteDatabase.ReadAll(command, r => r.GetString(0)));
        }

        var legacyStep = recorded.Where(id => id.StartsWith(LegacyPrefix, StringComparison.Ordinal))
            .Select(id => int.Parse(id.AsSpan(LegacyPrefix.Length), System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(0)
            .Max();

        var ran = new List<string>();
        foreach (var migration in ordered.Where(m => !recorded.Contains(m.Id)))
        {
            if (migration.LadderStep is not { } step || step > legacyStep)
            {
                migration.Apply(connection, transaction);
                ran.Add(migration.Id);
            }

            Record(connection, transaction, migration.Id, nowMs);
        }

        if (Convert.ToInt32(SqliteDatabase.Scalar(connection, transaction, "PRAGMA user_version;"), System.Globalization.CultureInfo.InvariantCulture) != MigrationsUserVersion)
        {
            SqliteDatabase.Execute(connection, transaction, $"PRAGMA user_version = {MigrationsUserVersion};");
        }

        transaction.Commit();
        return ran;
    }

    private static void Record(SqliteConnection connection, SqliteTransaction transaction, string id, long nowMs) =>
        SqliteDatabase.Execute(connection, transaction, "INSERT INTO schema_migrations (id, applied_at_ms) VALUES ($id, $at)", ("$id", id), ("$at", nowMs));
}
