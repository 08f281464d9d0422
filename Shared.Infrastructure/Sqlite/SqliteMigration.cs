using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Shared.Infrastructure.Sqlite;

/// <summary>
/// One named schema change of one feature (its tables, indexes, data moves), registered by the feature with
/// <see cref="SqliteRegistration.AddSqliteMigrations"/>. Applied once per file and recorded by its <see cref="Id"/>
/// (<see cref="SqliteMigrationRunner"/>); never edited once released: a later change is a new migration.
/// </summary>
public sealed partial class SqliteMigration
{
    private readonly Action<SqliteConnection, SqliteTransaction> _apply;

    private SqliteMigration(string id, Action<SqliteConnection, SqliteTransaction> apply, int? ladderStep, IReadOnlyList<string>? after)
    {
        if (!IdPattern().IsMatch(id))
        {
            throw new ArgumentException($"Migration id '{id}' must read feature.number-name (lower case, digits, dashes), e.g. quotas.2-bonus-grants.", nameof(id));
        }

        if (ladderStep is < 1 or > SqliteMigrationRunner.LastLadderStep)
        {
            throw new ArgumentOutOfRangeException(nameof(ladderStep), ladderStep, "The old ladder had steps 1 to 9.");
        }

        Id = id;
        _apply = apply;
        LadderStep = ladderStep;
        After = after ?? [];
    }

    /// <summary>The feature, a number and a name: <c>quotas.2-bonus-grants</c>. Recorded in the file once applied.</summary>
    public string Id { get; }

    /// <summary>The feature part of <see cref="Id"/> (before the dot).</summary>
    public string Feature => Id[..Id.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>The number part of <see cref="Id"/>: the feature's migrations run in this order.</summary>
    public int Number
    {
        get
        {
            var start = Id.IndexOf('.', StringComparison.Ordinal) + 1;
            return int.Parse(Id.AsSpan(start, Id.IndexOf('-', start) - start), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Migrations of other features that must have run before this one (whose tables it reads or changes); every one
    /// must be registered too. A feature's own migrations always run in number order.
    /// </summary>
    public IReadOnlyList<string> After { get; }

    /// <summary>
    /// The step of the <c>user_version</c> ladder of earlier versions (1–9) that made this change; a file written by them
    /// at that version or later has it already, so it is recorded without running. Null for migrations made since.
    /// </summary>
    public int? LadderStep { get; }

    /// <summary>A migration of SQL statements.</summary>
    public static SqliteMigration Sql(string id, string sql, int? ladderStep = null, IReadOnlyList<string>? after = null) =>
        new(id, (connection, transaction) => SqliteDatabase.Execute(connection, transaction, sql), ladderStep, after);

    /// <summary>A migration that inspects the file first (e.g. columns that may already be there).</summary>
    public static SqliteMigration Code(string id, Action<SqliteConnection, SqliteTransaction> apply, int? ladderStep = null, IReadOnlyList<string>? after = null) =>
        new(id, apply, ladderStep, after);

    /// <summary>Runs the change inside the runner's transaction.</summary>
    public void Apply(SqliteConnection connection, SqliteTransaction transaction) => _apply(connection, transaction);

    /// <summary>
    /// Adds the column unless the table has it already (a file whose ledger is older than its layout runs the migration
    /// again); true when it was added.
    /// </summary>
    public static bool AddColumnIfMissing(SqliteConnection connection, SqliteTransaction transaction, string table, string column, string definition)
    {
        if (Columns(connection, transaction, table).Contains(column))
        {
            return false;
        }

        SqliteDatabase.Execute(connection, transaction, $"ALTER TABLE {table} ADD COLUMN {column} {definition};");
        return true;
    }

    /// <summary>The columns a table has now (for migrations that must not repeat a change already made).</summary>
    public static IReadOnlySet<string> Columns(SqliteConnection connection, SqliteTransaction transaction, string table)
    {
        using var command = SqliteDatabase.Command(connection, transaction, "SELECT name FROM pragma_table_info($table)", ("$table", table));
        return SqliteDatabase.ReadAll(command, r => r.GetString(0)).ToHashSet(StringComparer.Ordinal);
    }

    public override string ToString() => Id;

    [GeneratedRegex("^[a-z][a-z0-9-]*\\.[0-9]+-[a-z0-9-]+$")]
    private static partial Regex IdPattern();
}
