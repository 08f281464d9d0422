using Microsoft.Data.Sqlite;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Referrals;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Sqlite;

/// <summary>
/// The features' named migrations: files of the old <c>user_version</c> ladder upgrade without losing data and end with
/// the schema a fresh file gets; the runner applies each migration once, in order, all or nothing.
/// </summary>
public sealed class SqliteMigrationTests : IDisposable
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"migrations-{Guid.NewGuid():N}");

    public static TheoryData<int> LadderVersions => [.. Enumerable.Range(1, SqliteMigrationRunner.LastLadderStep)];

    [Theory]
    [MemberData(nameof(LadderVersions))]
    public void A_file_of_any_ladder_version_upgrades_to_the_schema_of_a_fresh_file_keeping_its_rows(int version)
    {
        var old = File(version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        LegacySqliteLadder.Create(old, version);
        using (var connection = Connect(old))
        {
            LegacySqliteLadder.Execute(connection, null, "INSERT INTO tenants (tenant_id, doc, updated_at_ms) VALUES ('alpha', '{\"id\":\"alpha\"}', 7);");
        }

        var fresh = File("fresh");
        Initialize(fresh);
        var ranOnOld = Initialize(old);

        Assert.Equal(Schema(fresh), Schema(old));
        Assert.Equal(Recorded(fresh), Recorded(old).Where(id => !id.StartsWith("legacy-", StringComparison.Ordinal)));
        Assert.Contains($"legacy-user-version-{version}", Recorded(old));
        Assert.Equal(DeclaredSchema.SqliteMigrations().Where(m => m.LadderStep is null || m.LadderStep > version).Select(m => m.Id).Order(StringComparer.Ordinal), ranOnOld.Order(StringComparer.Ordinal));
        using var check = Connect(old);
        Assert.Equal("{\"id\":\"alpha\"}|7", (string)SqliteDatabase.Scalar(check, null, "SELECT doc || '|' || updated_at_ms FROM tenants WHERE tenant_id = 'alpha'")!);
        Assert.Equal((long)SqliteMigrationRunner.MigrationsUserVersion, SqliteDatabase.Scalar(check, null, "PRAGMA user_version;"));
    }

    [Fact]
    public async Task A_file_of_the_last_ladder_version_keeps_every_features_data_and_serves_it()
    {
        var path = File("v9");
        LegacySqliteLadder.Create(path, 9);
        var user = UserId.New();
        var referred = UserId.New();
        Assert.True(ClientRequestId.TryParse("k1", out var requestId));
        var key = RequestKey.ForIdentify(Alpha, user, requestId!.Value);
        using (var connection = Connect(path))
        {
            LegacySqliteLadder.Execute(connection, null, $"""
                INSERT INTO users (tenant_id, user_id, contact_email, role, created_at_ms, verified_email) VALUES ('alpha', '{user.Value}', 'a@example.com', 'user', 0, NULL);
                INSERT INTO quotas (tenant_id, user_id, plan_id, hits_limit, reset_period, anchor_ms, period_start_ms, period_end_ms, used, bonus_uses)
                    VALUES ('alpha', '{user.Value}', 'free', 10, 'month', {Now.AddDays(-1).ToUnixTimeMilliseconds()}, {Now.AddDays(-1).ToUnixTimeMilliseconds()}, {Now.AddDays(29).ToUnixTimeMilliseconds()}, 3, 2);
                INSERT INTO quota_requests (tenant_id, user_id, key_hash, at_ms, used_after, released, settled) VALUES ('alpha', '{user.Value}', '{key.Hash}', {Now.AddMinutes(-1).ToUnixTimeMilliseconds()}, 3, 0, 0);
                INSERT INTO quota_grants (tenant_id, user_id, grant_key) VALUES ('alpha', '{user.Value}', 'referral:{referred.Value}');
                INSERT INTO referrals (tenant_id, referred_id, referrer_id, status, created_at_ms, confirmed_at_ms, rewarded_at_ms) VALUES ('alpha', '{referred.Value}', '{user.Value}', 'pending', 0, NULL, NULL);
                """);
        }

        await using var store = await StoreSet.SqliteAsync(new ManualTimeProvider(Now), path);
        var account = await store.Quotas.GetAsync(Alpha, user, default);
        var replay = await store.Quotas.TryConsumeAsync(Alpha, user, key, Now, default);

        Assert.Equal((3, 2, 12), (account!.Used, account.BonusUses, account.Limit));
        Assert.False(await store.Quotas.GrantBonusAsync(Alpha, user, $"referral:{referred.Value}", 1, default)); // applied before the upgrade
        Assert.Equal((ConsumeKind.Replayed, 3), (replay!.Kind, replay.Status.Used));
        Assert.Equal(user, (await store.Get<IReferralStore>().GetAsync(Alpha, referred, default))!.ReferrerId);
        Assert.Equal("a@example.com", (await store.Users.GetAsync(Alpha, user, default))!.ContactEmail?.Value);
    }

    [Fact]
    public void Running_again_changes_nothing_and_a_migration_declared_later_runs_once()
    {
        var path = File("again");
        Initialize(path);
        var before = Schema(path);

        Assert.Empty(Initialize(path));
        Assert.Equal(before, Schema(path));

        var added = SqliteMigration.Sql("tenants.99-notes", "CREATE TABLE tenant_notes (tenant_id TEXT PRIMARY KEY, note TEXT NOT NULL);");
        Assert.Equal(["tenants.99-notes"], Initialize(path, [.. DeclaredSchema.SqliteMigrations(), added]));
        Assert.Empty(Initialize(path, [.. DeclaredSchema.SqliteMigrations(), added]));
        Assert.Contains("table:tenant_notes", Schema(path).Keys);
    }

    [Fact]
    public void A_failing_migration_leaves_nothing_of_the_run_behind()
    {
        var path = File("failing");
        var broken = SqliteMigration.Sql("tenants.99-broken", "CREATE TABLE fine (x INTEGER); CREATE TABLE tenants (x INTEGER);");

        Assert.Throws<SqliteException>(() => Initialize(path, [.. DeclaredSchema.SqliteMigrations(), broken]));

        Assert.Empty(Schema(path));
        Assert.Equal(0L, Read(path, "PRAGMA user_version;"));
    }

    [Fact]
    public void A_features_migrations_run_in_number_order_whatever_their_names_and_after_what_they_name()
    {
        var log = new List<string>();
        SqliteMigration Step(string id, IReadOnlyList<string>? after = null) => SqliteMigration.Code(id, (_, _) => log.Add(id), after: after);

        var order = SqliteMigrationRunner.Order([Step("zeta.10-last"), Step("zeta.2-second"), Step("alpha.1-first", after: ["zeta.10-last"]), Step("zeta.1-first")]);

        Assert.Equal(["zeta.1-first", "zeta.2-second", "zeta.10-last", "alpha.1-first"], order.Select(m => m.Id));
        Assert.Throws<InvalidOperationException>(() => SqliteMigrationRunner.Order([Step("a.1-x", after: ["b.1-missing"])]));
        Assert.Throws<InvalidOperationException>(() => SqliteMigrationRunner.Order([Step("a.1-x"), Step("a.1-y")]));
        Assert.Throws<InvalidOperationException>(() => SqliteMigrationRunner.Order([Step("a.1-x", after: ["b.1-y"]), Step("b.1-y", after: ["a.1-x"])]));
        Assert.Throws<ArgumentException>(() => Step("NoFeature"));
    }

    [Fact]
    public void A_file_managed_by_migrations_is_not_taken_for_a_ladder_file_and_an_unknown_ladder_version_is_refused()
    {
        var path = File("future");
        using (var connection = Connect(path))
        {
            LegacySqliteLadder.Execute(connection, null, "PRAGMA user_version = 12;");
        }

        Assert.Throws<InvalidOperationException>(() => Initialize(path));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private string File(string name)
    {
        Directory.CreateDirectory(_directory);
        return Path.Combine(_directory, $"{name}.db");
    }

    private static IReadOnlyList<string> Initialize(string path, IEnumerable<SqliteMigration>? migrations = null)
    {
        using var db = new SqliteDatabase(path, new StoreOperationCounter(), migrations ?? DeclaredSchema.SqliteMigrations(), new ManualTimeProvider(Now));
        return db.Initialize();
    }

    private static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        return connection;
    }

    private static object? Read(string path, string sql)
    {
        using var connection = Connect(path);
        return SqliteDatabase.Scalar(connection, null, sql);
    }

    /// <summary>Every table and index but the migration ledger, by name, with the SQL SQLite keeps for it.</summary>
    private static SortedDictionary<string, string> Schema(string path)
    {
        using var connection = Connect(path);
        using var command = SqliteDatabase.Command(connection, null, "SELECT type || ':' || name, coalesce(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'");
        return new SortedDictionary<string, string>(SqliteDatabase.ReadAll(command, r => (r.GetString(0), r.GetString(1))).ToDictionary(r => r.Item1, r => r.Item2), StringComparer.Ordinal);
    }

    private static List<string> Recorded(string path)
    {
        using var connection = Connect(path);
        using var command = SqliteDatabase.Command(connection, null, "SELECT id FROM schema_migrations ORDER BY id");
        return SqliteDatabase.ReadAll(command, r => r.GetString(0));
    }
}
