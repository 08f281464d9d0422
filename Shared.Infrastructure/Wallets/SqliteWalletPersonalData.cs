using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Wallets;

/// <summary>
/// Wallets as personal data (embedded store). Export: the wallets, entries and open holds. Erasure keeps the ledger,
/// de-identified: entries are financial records (top-ups paid, charges for campaigns, refunds) that accounting and tax
/// law require to be kept, so instead of deleting them the owner's user id is replaced, in one transaction, by the
/// user's one pseudonym (<see cref="ErasedUserKey.PseudonymOf"/>, the same the invoices, payments and marketplace
/// records of the user get); amounts, kinds, times and references (payment and campaign ids, which identify
/// transactions, not the person) stay. A repeat finds nothing under the user id.
/// </summary>
public sealed class SqliteWalletPersonalData(SqliteDatabase db) : IPersonalDataStore
{
    private readonly SqlitePersonalData _export = new(db, "wallets", [new("wallets", "wallet"), new("wallet_entries", "wallet_entry"), new("wallet_holds", "wallet_hold")]);

    public string Section => _export.Section;

    public Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => _export.ExportAsync(tenantId, userId, cancellationToken);

    public Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var pseudonym = ErasedUserKey.PseudonymOf(tenantId, userId).Value;
        return db.WriteAsync(
            w =>
                w.Execute("UPDATE wallets SET user_id = $p WHERE tenant_id = $t AND user_id = $u", ("$p", pseudonym), ("$t", tenantId.Value), ("$u", userId.Value))
                + w.Execute("UPDATE wallet_entries SET user_id = $p WHERE tenant_id = $t AND user_id = $u", ("$p", pseudonym), ("$t", tenantId.Value), ("$u", userId.Value))
                + w.Execute("UPDATE wallet_holds SET user_id = $p WHERE tenant_id = $t AND user_id = $u", ("$p", pseudonym), ("$t", tenantId.Value), ("$u", userId.Value)),
            cancellationToken);
    }
}
