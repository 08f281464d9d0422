using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.Privacy;

namespace Shared.Infrastructure.Sqlite;

/// <summary>
/// One feature's personal data in the embedded store, described by the tables that hold rows about a user: export reads
/// every such row of the user in the tenant (every column, as text); erase deletes them all in one transaction, so a
/// repeat finds nothing left (tables kept for the law or for another user are de-identified instead, see
/// <see cref="SqlitePersonalTable"/>). Rows of other users and other tenants are never read or touched.
/// </summary>
public sealed class SqlitePersonalData(SqliteDatabase db, string section, IReadOnlyList<SqlitePersonalTable> tables) : IPersonalDataStore
{
    public string Section => section;

    public Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c =>
        {
            var records = new List<PersonalDataRecord>();
            foreach (var table in tables)
            {
                using var command = SqliteDatabase.Command(c, null, $"SELECT * FROM {table.Table} WHERE tenant_id = $t AND {table.UserColumn} = $u", ("$t", tenantId.Value), ("$u", userId.Value));
                records.AddRange(SqliteDatabase.ReadAll(command, r =>
                {
                    var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                    for (var i = 0; i < r.FieldCount; i++)
                    {
                        fields[r.GetName(i)] = Privacy.WithheldFields.IsWithheld(r.GetName(i)) ? Privacy.WithheldFields.Placeholder : r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture);
                    }

                    return new PersonalDataRecord(table.Kind, fields);
                }));
            }

            return new PersonalDataSection(section, records);
        }));

    public Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var pseudonym = ErasedUserKey.PseudonymOf(tenantId, userId).Value;
        return db.WriteAsync(
            w => tables.Sum(table => w.Execute(table.ErasedWithUser ? DeleteSql(table) : DeIdentifySql(w, table), ("$t", tenantId.Value), ("$u", userId.Value), ("$p", pseudonym))),
            cancellationToken);
    }

    private static string DeleteSql(SqlitePersonalTable table) => string.Intern($"DELETE FROM {table.Table} WHERE tenant_id = $t AND {table.UserColumn} = $u");

    /// <summary>Replaces the user id by the pseudonym in every text column of the user's rows (the user column and JSON documents alike).</summary>
    private static string DeIdentifySql(SqliteWriter w, SqlitePersonalTable table)
    {
        var textColumns = new List<string>();
        using (var reader = w.Query($"SELECT name, type FROM pragma_table_info('{table.Table}')"))
        {
            while (reader.Read())
            {
                if (reader.GetString(1).Equals("TEXT", StringComparison.OrdinalIgnoreCase) && reader.GetString(0) != "tenant_id")
                {
                    textColumns.Add(reader.GetString(0));
                }
            }
        }

        return $"UPDATE {table.Table} SET {string.Join(", ", textColumns.Select(c => $"{c} = replace({c}, $u, $p)"))} WHERE tenant_id = $t AND {table.UserColumn} = $u";
    }
}
