namespace Shared.Infrastructure.Sqlite;

public sealed class SqliteOptions
{
    /// <summary>Path of the database file; relative paths are under the content root.</summary>
    public string Path { get; set; } = ".data/serverless.db";
}
