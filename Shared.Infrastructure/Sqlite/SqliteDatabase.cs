using Microsoft.Data.Sqlite;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Sqlite;

public sealed class SqliteOptions
{
    /// <summary>Path of the database file; relative paths are under the content root.</summary>
    public string Path { get; set; } = ".data/serverless.db";
}

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes in this process are serialized by a lock (SQLite allows
/// one writer anyway; queueing here is cheaper than SQLite's busy-retry) and run as IMMEDIATE transactions, which
/// also makes them safe against the other app process sharing the file.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private const int SchemaVersion = 1;
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StoreOperationCounter _counter;

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
                    PRIMARY KEY (tenant_id, user_id));
                CREATE UNIQUE INDEX IF NOT EXISTS users_by_email ON users (tenant_id, email) WHERE email IS NOT NULL;
                CREATE TABLE IF NOT EXISTS installations (
                    tenant_id TEXT NOT NULL,
                    extension_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    email_settled INTEGER NOT NULL,
                    created_at_ms INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, extension_id));
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
                    PRIMARY KEY (tenant_id, user_id));
                CREATE TABLE IF NOT EXISTS quota_requests (
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    key_hash TEXT NOT NULL,
                    at_ms INTEGER NOT NULL,
                    used_after INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, user_id, key_hash));
                CREATE TABLE IF NOT EXISTS usage_log (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    tenant_id TEXT NOT NULL,
                    user_id TEXT NOT NULL,
                    action_type TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    at_ms INTEGER NOT NULL);
                CREATE INDEX IF NOT EXISTS usage_log_by_user ON usage_log (tenant_id, user_id, at_ms);
                """);
        }

        Execute(connection, tx, $"PRAGMA user_version = {SchemaVersion};");
        tx.Commit();
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, null, "PRAGMA synchronous=NORMAL;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one IMMEDIATE transaction, committed when it returns.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            using var connection = Open();
            using var transaction = connection.BeginTransaction(deferred: false);
            var result = work(connection, transaction);
            transaction.Commit();
            _counter.Increment();
            return result;
        }
        finally
        {
            _writeLock.Release();
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

    public void Dispose() => _writeLock.Dispose();
}
