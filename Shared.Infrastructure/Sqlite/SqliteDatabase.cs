using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Sqlite;

/// <summary>
/// The embedded store's engine: one SQLite file in WAL mode. Tables belong to the features, which register their schema
/// as named migrations (<see cref="SqliteMigration"/>); this applies them at start-up and runs every store's reads and
/// writes. SQLite allows one writer at a time, so this process has a single writer that commits concurrent write operations together (group commit) in one IMMEDIATE transaction, which also
/// keeps it safe against the other app process sharing the file. If any operation of a batch throws, the batch is
/// rolled back and its operations are run again one transaction each, so every operation succeeds or fails alone.
/// WAL checkpoints run on a background connection instead of inside the writer's commits.
/// </summary>
public sealed class SqliteDatabase : IDisposable
{
    private const int MaxBatch = 256;
    private readonly string _connectionString;
    private readonly StoreOperationCounter _counter;
    private readonly IReadOnlyList<SqliteMigration> _migrations;
    private readonly TimeProvider _time;
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lazy<Task> _writer;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _checkpointer;

    /// <param name="migrations">What the features registered (<see cref="SqliteRegistration.AddSqliteMigrations"/>); none: the file gets no tables.</param>
    /// <param name="time">Stamps the migrations recorded; the system clock when not given.</param>
    public SqliteDatabase(string path, StoreOperationCounter counter, IEnumerable<SqliteMigration>? migrations = null, TimeProvider? time = null)
    {
        FilePath = System.IO.Path.GetFullPath(path);
        _counter = counter;
        _migrations = [.. migrations ?? []];
        _time = time ?? TimeProvider.System;
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

    /// <summary>
    /// Opens the file in WAL mode and brings its schema up to date: the migrations the features registered that the file
    /// has not recorded yet, in order, in one transaction (see <see cref="SqliteMigrationRunner"/>).
    /// </summary>
    public IReadOnlyList<string> Initialize()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(FilePath)!);
        using var connection = Open();
        Execute(connection, null, "PRAGMA journal_mode=WAL;");
        var done = SqliteMigrationRunner.Run(connection, _migrations, _time.GetUtcNow());
        _checkpointer ??= Task.Run(CheckpointLoop);
        return done;
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
