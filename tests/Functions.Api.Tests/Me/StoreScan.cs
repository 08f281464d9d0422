using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Cosmos;

namespace Functions.Api.Tests.Me;

/// <summary>
/// Reads everything an app's store holds, independently of the features' code: on SQLite every row of every table
/// listed in sqlite_master, every column as text; on Cosmos every document of every container of the database, as the
/// raw JSON the SDK returns. Answers where any of the needles occurs.
/// </summary>
public static class StoreScan
{
    public static async Task<List<string>> FindAsync(ApiFactory factory, IReadOnlyCollection<string> needles)
    {
        var found = new List<string>();
        foreach (var (where, text) in factory.Store == StoreKind.Sqlite ? ReadSqlite(factory.SqlitePath) : await ReadCosmosAsync(factory))
        {
            found.AddRange(needles.Where(n => text.Contains(n, StringComparison.OrdinalIgnoreCase)).Select(n => $"{where} contains '{n}'"));
        }

        return found;
    }

    /// <summary>How many rows or documents were read (a scan that reads nothing would find nothing).</summary>
    public static async Task<int> CountAsync(ApiFactory factory) =>
        (factory.Store == StoreKind.Sqlite ? ReadSqlite(factory.SqlitePath) : await ReadCosmosAsync(factory)).Count;

    private static List<(string Where, string Text)> ReadSqlite(string path)
    {
        var rows = new List<(string, string)>();
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var tables = new List<string>();
        using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
            using var reader = list.ExecuteReader();
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                var values = Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : reader.GetValue(i) is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
                rows.Add(($"sqlite table {table}", string.Join("\u001f", values)));
            }
        }

        return rows;
    }

    private static async Task<List<(string Where, string Text)>> ReadCosmosAsync(ApiFactory factory)
    {
        var database = factory.Services.GetRequiredService<CosmosDatabase>().Container(CosmosContainers.Users).Database;
        var documents = new List<(string, string)>();
        using var containers = database.GetContainerQueryIterator<ContainerProperties>();
        while (containers.HasMoreResults)
        {
            foreach (var properties in await containers.ReadNextAsync())
            {
                using var items = database.GetContainer(properties.Id).GetItemQueryIterator<JsonElement>("SELECT * FROM c");
                while (items.HasMoreResults)
                {
                    documents.AddRange((await items.ReadNextAsync()).Select(d => ($"cosmos container {properties.Id}", d.GetRawText())));
                }
            }
        }

        return documents;
    }
}
