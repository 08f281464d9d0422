using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Sqlite;

public sealed class SqliteOptions
{
    /// <summary>Path of the database file; relative paths are under the content root.</summary>
    public string Path { get; set; } = ".data/serverless.db";
}

/// <summary>
/// The embedded store: one SQLite file in WAL mode. SQLite allows one writer at a time, so this process has a single
/// writer that commits concurrent write operations together (group commit) in one IMMEDIATE transaction, which also
/// keeps it safe against the other app process sharing the file. If any operation of a batch throws, the batch is
/// rolled back and its operations are run again one transaction each, so every operation succeeds or fails alone.
/// WAL checkpoints run on a background connection instead of inside the writer's commits.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private const int SchemaVersion = 9;
    private const int MaxBatch = 256;
    private readonly string _connectionString;
    private readonly StoreOperationCounter _counter;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _writer;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _checkpointer;

    public SqliteDatabase(string path, StoreOperationCounter counter)
    {
        FilePath = System.IO.Path.GetFullPath(path);
        _counter = counter;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _writer = new Lazy<Task>(() => Task.Factory.StartNew(WriterLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
    }

    public string FilePath { get; }

    public void Initialize()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FilePath)!);
        using var connection = Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        using var tx = connection.BeginTransaction();
        var version = Convert.ToInt32(Scalar(connection, tx, "PRAGMA user_version;"));
        if (version < 1)
        {
            Execute(connection, tx, """
                CREATE TABLE IF NOT EXISTS tenants (
                    tenant_id TEXT PRIMARY KEY,
                    doc TEXT NOT NULL,
                    updated_at_ms INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS users (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    email TEXT NULL,
                    role TEXT NOT NULL,
                    created_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
                CREATE UNIQUE INDEX IF NOT EXISTS users_by_email ON users (tenant_id, email) WHERE email IS NOT NULL;
                CREATE TABLE IF NOT EXISTS installations (
                    tenant_id TEXT NOT NULL,
                    extension_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    email_settled INTEGER NOT NULL,
                    created_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, extension_id)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS quotas (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    plan_id TEXT NOT NULL,
                    hits_limit INTEGER NULL,
                    reset_period TEXT NOT NULL,
                    anchor_ms INTEGER NOT NULL,
                    period_start_ms INTEGER NOT NULL,
                    period_end_ms INTEGER NOT NULL,
                    used INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS quota_requests (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    key_hash TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    used_after INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, key_hash)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS usage_log (
                    id INTEGER PRIMARY KEY,
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    action_type TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    at_ms INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS usage_log_by_user ON usage_log (tenant_id, user_id, at_ms);
                """);
        }

        if (version < 2)
        {
            Execute(connection, tx, """
                CREATE TABLE IF NOT EXISTS billing_customers (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    customer_id TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
                CREATE UNIQUE INDEX IF NOT EXISTS billing_customers_by_customer ON billing_customers (tenant_id, customer_id);
                CREATE TABLE IF NOT EXISTS subscriptions (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    doc TEXT NOT NULL,
                    status TEXT NOT NULL,
                    grace_until_ms INTEGER NULL,
                    stripe_updated_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS payments (
                    tenant_id TEXT NOT NULL,
                    payment_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    doc TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, payment_id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS payments_by_user ON payments (tenant_id, user_id, at_ms);
                CREATE TABLE IF NOT EXISTS webhook_events (
                    tenant_id TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    type TEXT NOT NULL,
                    handled_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, event_id)) WITHOUT ROWID;
                """);
        }

        if (version < 3)
        {
            Execute(connection, tx, """
                CREATE TABLE IF NOT EXISTS queue_messages (
                    queue TEXT NOT NULL,
                    message_id TEXT NOT NULL,
                    body TEXT NOT NULL,
                    enqueued_at_ms INTEGER NOT NULL,
                    visible_at_ms INTEGER NOT NULL,
                    delivery_count INTEGER NOT NULL DEFAULT 0,
                    lease_token TEXT NULL,
                    dead_lettered INTEGER NOT NULL DEFAULT 0,
                    dead_letter_reason TEXT NULL,
                    PRIMARY KEY (queue, message_id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS queue_messages_visible ON queue_messages (queue, dead_lettered, visible_at_ms, enqueued_at_ms);
                """);
        }

        if (version < 4)
        {
            Execute(connection, tx, """
                ALTER TABLE quota_requests ADD COLUMN released INTEGER NOT NULL DEFAULT 0;
                CREATE INDEX IF NOT EXISTS quotas_by_period_end ON quotas (tenant_id, period_end_ms, user_id);
                CREATE TABLE IF NOT EXISTS usage_archive (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    period_start_ms INTEGER NOT NULL,
                    period_end_ms INTEGER NOT NULL,
                    plan_id TEXT NOT NULL,
                    used INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, period_start_ms)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS feature_requests (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    id TEXT NOT NULL,
                    request_text TEXT NOT NULL,
                    status TEXT NOT NULL,
                    reservation TEXT NOT NULL,
                    queue TEXT NOT NULL,
                    generated_code TEXT NULL,
                    generated_by TEXT NULL,
                    failure_reason TEXT NULL,
                    attempts INTEGER NOT NULL,
                    created_at_ms INTEGER NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    completed_at_ms INTEGER NULL,
                    version INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS feature_requests_newest ON feature_requests (tenant_id, user_id, created_at_ms DESC, id DESC);
                CREATE INDEX IF NOT EXISTS feature_requests_unfinished ON feature_requests (tenant_id, updated_at_ms) WHERE status IN ('pending', 'processing');
                CREATE TABLE IF NOT EXISTS data_sharing (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    opt_in INTEGER NOT NULL,
                    profit_split INTEGER NOT NULL,
                    updated_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS data_sharing_opted_in ON data_sharing (tenant_id, user_id) WHERE opt_in = 1;
                CREATE TABLE IF NOT EXISTS insights (
                    tenant_id TEXT NOT NULL,
                    day TEXT NOT NULL,
                    metric TEXT NOT NULL,
                    dimension TEXT NOT NULL,
                    events INTEGER NOT NULL,
                    contributors INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, day, metric, dimension)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS insight_days (
                    tenant_id TEXT NOT NULL,
                    day TEXT NOT NULL,
                    done_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, day)) WITHOUT ROWID;
                """);
        }

        if (version < 5)
        {
            Execute(connection, tx, """
                ALTER TABLE quotas ADD COLUMN bonus_uses INTEGER NOT NULL DEFAULT 0;
                CREATE TABLE IF NOT EXISTS quota_grants (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    grant_key TEXT NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, grant_key)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS referrals (
                    tenant_id TEXT NOT NULL,
                    referred_id TEXT NOT NULL,
                    referrer_id TEXT NOT NULL,
                    status TEXT NOT NULL,
                    created_at_ms INTEGER NOT NULL,
                    confirmed_at_ms INTEGER NULL,
                    rewarded_at_ms INTEGER NULL,
                    PRIMARY KEY (tenant_id, referred_id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS referrals_confirmed ON referrals (tenant_id, confirmed_at_ms) WHERE status = 'confirmed';
                """);
        }

        if (version < 6)
        {
            // Feature-request retries: the message round, where the retry budget runs from, the scheduled attempt the sweep waits for.
            Execute(connection, tx, """
                ALTER TABLE feature_requests ADD COLUMN round INTEGER NOT NULL DEFAULT 1;
                ALTER TABLE feature_requests ADD COLUMN retry_budget_from_ms INTEGER NULL;
                ALTER TABLE feature_requests ADD COLUMN next_attempt_at_ms INTEGER NULL;
                """);
        }

        if (version < 7)
        {
            // Proof before linking: emails stored so far were never verified (identify took them from the body), so they
            // become unverified contacts, which are never unique and never looked up; no old email can claim an account.
            // Only emails proven by an ID token are verified_email (unique per tenant). Installations no longer track
            // whether "their" email was settled: a bare email never changes an existing user. Each step checks the
            // columns first, so a file whose version number is older than its layout is upgraded too.
            var userColumns = Columns(connection, tx, "users");
            if (userColumns.Contains("email"))
            {
                Execute(connection, tx, "DROP INDEX IF EXISTS users_by_email; ALTER TABLE users RENAME COLUMN email TO contact_email;");
            }

            if (!userColumns.Contains("verified_email"))
            {
                Execute(connection, tx, "ALTER TABLE users ADD COLUMN verified_email TEXT NULL;");
            }

            Execute(connection, tx, "CREATE UNIQUE INDEX IF NOT EXISTS users_by_verified_email ON users (tenant_id, verified_email) WHERE verified_email IS NOT NULL;");
            if (Columns(connection, tx, "installations").Contains("email_settled"))
            {
                Execute(connection, tx, "ALTER TABLE installations DROP COLUMN email_settled;");
            }
        }

        if (version < 8)
        {
            // Billing: every subscription of a user under its Stripe id (the first versions kept one row per user,
            // moved here under the id its document names), and billing anomalies for admins.
            Execute(connection, tx, """
                CREATE TABLE subscriptions_by_id (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    subscription_id TEXT NOT NULL,
                    doc TEXT NOT NULL,
                    status TEXT NOT NULL,
                    grace_until_ms INTEGER NULL,
                    stripe_updated_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, subscription_id)) WITHOUT ROWID;
                INSERT INTO subscriptions_by_id (tenant_id, user_id, subscription_id, doc, status, grace_until_ms, stripe_updated_at_ms)
                    SELECT tenant_id, user_id, json_extract(doc, '$.stripe_subscription_id'), doc, status, grace_until_ms, stripe_updated_at_ms FROM subscriptions;
                DROP TABLE subscriptions;
                ALTER TABLE subscriptions_by_id RENAME TO subscriptions;
                CREATE INDEX IF NOT EXISTS subscriptions_past_due ON subscriptions (tenant_id, grace_until_ms) WHERE status = 'past_due';
                CREATE TABLE IF NOT EXISTS billing_anomalies (
                    tenant_id TEXT NOT NULL,
                    anomaly_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    doc TEXT NOT NULL,
                    detected_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, anomaly_id)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS billing_anomalies_newest ON billing_anomalies (tenant_id, detected_at_ms DESC);
                """);
        }

        if (version < 9)
        {
            // Keys bound to their kind: ids are now a kind letter + digest of (kind, tenant, user, key); unkinded ids of
            // earlier versions can never match again, so they go. Reservations record whether they were settled (kept).
            Execute(connection, tx, "DELETE FROM quota_requests WHERE length(key_hash) <> 33;");
            if (Scalar(connection, tx, "SELECT 1 FROM pragma_table_info('quota_requests') WHERE name = 'settled'") is null)
            {
                Execute(connection, tx, "ALTER TABLE quota_requests ADD COLUMN settled INTEGER NOT NULL DEFAULT 0;");
            }
        }

        Execute(connection, tx, $"PRAGMA user_version = {SchemaVersion};");
        tx.Commit();
        _checkpointer ??= Task.Run(CheckpointLoop);
    }

    private static HashSet<string> Columns(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        using var command = Command(connection, transaction, $"SELECT name FROM pragma_table_info('{table}')");
        return [.. ReadAll(command, r => r.GetString(0))];
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> atomically (its own savepoint) and durably (its batch is committed) before the task
    /// completes. Work must not block on anything but the database: it runs on the single writer thread.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqliteWriter, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _counter.Increment();
        var pending = new PendingWrite<T>(work);
        ObjectDisposedException.ThrowIf(!_writes.Writer.TryWrite(pending), this);

        _ = _writer.Value;
        return pending.Completion.Task;
    }

    private async Task WriterLoop()
    {
        using var writer = new SqliteWriter(Open());
        writer.Execute("PRAGMA synchronous=NORMAL;");
        writer.Execute("PRAGMA wal_autocheckpoint=0;");
        writer.Execute("PRAGMA mmap_size=268435456;");
        var batch = new List<PendingWrite>(MaxBatch);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            RunBatch(writer, batch);
            batch.Clear();
        }
    }

    private static void RunBatch(SqliteWriter writer, List<PendingWrite> batch)
    {
        if (batch.Count > 1 && TryCommit(writer, batch, out _))
        {
            batch.ForEach(w => w.Complete());
            return;
        }

        // One operation of the batch failed (or there is only one): run each alone, so only the faulty one fails.
        foreach (var write in batch)
        {
            if (TryCommit(writer, [write], out var error))
            {
                write.Complete();
            }
            else
            {
                write.Fail(error!);
            }
        }
    }

    private static bool TryCommit(SqliteWriter writer, List<PendingWrite> writes, out Exception? error)
    {
        try
        {
            using var transaction = writer.Begin();
            foreach (var write in writes)
            {
                write.Run(writer);
            }

            transaction.Commit();
            error = null;
            return true;
        }
        catch (Exception e)
        {
            // Disposing the uncommitted transaction rolls it back: nothing of these operations is stored.
            error = e;
            return false;
        }
    }

    /// <summary>Moves committed pages from the WAL into the database file without blocking the writer.</summary>
    private async Task CheckpointLoop()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                using var connection = Open();
                Execute(connection, null, "PRAGMA wal_checkpoint(PASSIVE);");
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // shutting down
        }
    }

    public T Read<T>(Func<SqliteConnection, T> work)
    {
        using var connection = Open();
        var result = work(connection);
        _counter.Increment();
        return result;
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    /// <summary>Runs a query and maps every row.</summary>
    public static List<T> ReadAll<T>(SqliteCommand command, Func<SqliteDataReader, T> map)
    {
        using var reader = command.ExecuteReader();
        var list = new List<T>();
        while (reader.Read())
        {
            list.Add(map(reader));
        }

        return list;
    }

    public static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public void Dispose()
    {
        _writes.Writer.TryComplete();
        if (_writer.IsValueCreated)
        {
            _writer.Value.GetAwaiter().GetResult();
        }

        _stopping.Cancel();
        _checkpointer?.GetAwaiter().GetResult();
        _stopping.Dispose();
    }

    private abstract class PendingWrite
    {
        public abstract void Run(SqliteWriter writer);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<SqliteWriter, T> work) : PendingWrite
    {
        private T? _result;

        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void Run(SqliteWriter writer) => _result = work(writer);

        public override void Complete() => Completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}

/// <summary>
/// The writer's connection, with its commands prepared once and reused (preparing dominates the cost of the small
/// statements the stores issue). Used only by the single writer, inside the batch transaction.
/// Statements are cached by string identity, which is cheap for the constant SQL the stores use; SQL built at run time
/// is prepared for one use unless it was interned (a bounded set of shapes).
/// </summary>
public sealed class SqliteWriter(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _prepared = new(ReferenceEqualityComparer.Instance);
    private SqliteTransaction? _transaction;

    public SqliteTransaction Begin() => _transaction = connection.BeginTransaction(deferred: false);

    public int Execute(string sql, params (string Name, object? Value)[] parameters) => Use(sql, parameters, c => c.ExecuteNonQuery());

    public object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        var value = Use(sql, parameters, c => c.ExecuteScalar());
        return value is DBNull ? null : value;
    }

    /// <summary>A reader over a prepared command; dispose it before the next statement.</summary>
    public SqliteDataReader Query(string sql, params (string Name, object? Value)[] parameters) =>
        Cacheable(sql)
            ? Prepare(sql, parameters).ExecuteReader()
            : Bind(NewCommand(sql), parameters).ExecuteReader(System.Data.CommandBehavior.Default);

    private T Use<T>(string sql, (string Name, object? Value)[] parameters, Func<SqliteCommand, T> run)
    {
        if (Cacheable(sql))
        {
            return run(Prepare(sql, parameters));
        }

        using var once = Bind(NewCommand(sql), parameters);
        return run(once);
    }

    private static bool Cacheable(string sql) => ReferenceEquals(string.IsInterned(sql), sql);

    private SqliteCommand Prepare(string sql, (string Name, object? Value)[] parameters)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = NewCommand(sql);
            _prepared[sql] = command;
        }

        command.Transaction = _transaction;
        return Bind(command, parameters);
    }

    private SqliteCommand NewCommand(string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>Binds by position when a call site passes the same parameters in the same order (the usual case), else by name.</summary>
    private static SqliteCommand Bind(SqliteCommand command, (string Name, object? Value)[] parameters)
    {
        var bound = command.Parameters;
        for (var i = 0; i < parameters.Length; i++)
        {
            var (name, value) = parameters[i];
            if (i < bound.Count && ReferenceEquals(bound[i].ParameterName, name))
            {
                bound[i].Value = value ?? DBNull.Value;
            }
            else if (bound.Contains(name))
            {
                bound[name].Value = value ?? DBNull.Value;
            }
            else
            {
                bound.AddWithValue(name, value ?? DBNull.Value);
            }
        }

        return command;
    }

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        connection.Dispose();
    }
}
