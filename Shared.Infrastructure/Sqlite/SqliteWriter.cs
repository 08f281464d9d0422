using Microsoft.Data.Sqlite;

namespace Shared.Infrastructure.Sqlite;

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
