using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Invoices;

/// <summary>
/// Invoices as personal data (embedded store). Export: the user's invoices. Erasure keeps them, de-identified, as the
/// wallet ledger is (see <c>SqliteWalletPersonalData</c>): invoices are records tax law requires to be kept, so the
/// owner's user id is replaced by the user's one pseudonym (<see cref="ErasedUserKey.PseudonymOf"/>, the same every
/// other store's kept records use, so the erased user's records still belong together and a retry writes the same
/// value); numbers, amounts, tax fields and source references (payment and campaign ids) stay. A repeat finds nothing
/// under the user id.
/// </summary>
public sealed class SqliteInvoicePersonalData(SqliteDatabase db) : IPersonalDataStore
{
    private readonly SqlitePersonalData _export = new(db, "invoices", [new("invoices", "invoice")]);

    public string Section => _export.Section;

    public Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => _export.ExportAsync(tenantId, userId, cancellationToken);

    public Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var pseudonym = ErasedUserKey.PseudonymOf(tenantId, userId).Value;
        return db.WriteAsync(w => w.Execute("UPDATE invoices SET user_id = $p WHERE tenant_id = $t AND user_id = $u", ("$p", pseudonym), ("$t", tenantId.Value), ("$u", userId.Value)), cancellationToken);
    }
}
