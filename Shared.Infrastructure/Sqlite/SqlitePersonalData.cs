using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.Privacy;

namespace Shared.Infrastructure.Sqlite;

/// <summary>
/// One feature's personal data in the embedded store, described by the tables that hold rows about a user: export reads
/// every such row of the user in the tenant (every column, as text); erase deletes them all in one transaction, so a
/// repeat finds nothing left. Rows of other users and other tenants are never read or touched.
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
                        fields[r.GetName(i)] = r.IsDBNull(i) ? null : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture);
                    }

                    return new PersonalDataRecord(table.Kind, fields);
                }));
            }

            return new PersonalDataSection(section, records);
        }));

    public Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        db.WriteAsync(
            w => tables.Where(table => table.ErasedWithUser).Sum(table => w.Execute(string.Intern($"DELETE FROM {table.Table} WHERE tenant_id = $t AND {table.UserColumn} = $u"), ("$t", tenantId.Value), ("$u", userId.Value))),
            cancellationToken);
}
