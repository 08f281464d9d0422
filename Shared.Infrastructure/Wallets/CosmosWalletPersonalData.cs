using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Wallets;

/// <summary>
/// Wallets as personal data (Cosmos DB). Export: the wallet and entry documents of the user's partition. Erasure keeps
/// the ledger de-identified (financial records; see <see cref="SqliteWalletPersonalData"/>): each wallet and its
/// entries move to the user's one pseudonym (<see cref="ErasedUserKey.PseudonymOf"/>, as their invoices and payments;
/// the partition [tenantId, pseudonym]). A partition key cannot change in place and one batch cannot span two
/// partitions, so the move is: the pseudonym is first recorded on the wallet document (ETag-conditional; a wallet
/// marked by an earlier version keeps the pseudonym it names), then each entry is upserted under the pseudonym and
/// deleted here, and the wallet document last. A retry after a failure midway resumes with the same pseudonym; a
/// repeat finds nothing left.
/// </summary>
public sealed class CosmosWalletPersonalData(CosmosDatabase db) : IPersonalDataStore
{
    private readonly CosmosPersonalData _export = new(db, "wallets", [new(CosmosContainers.Users, "wallet", ["wallet"]), new(CosmosContainers.Users, "wallet_entry", ["wallet_entry"])]);
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public string Section => _export.Section;

    public Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => _export.ExportAsync(tenantId, userId, cancellationToken);

    public async Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var partition = Keys.User(tenantId, userId);
        var moved = 0;
        foreach (var walletId in await IdsAsync("wallet", null, partition, cancellationToken))
        {
            var (wallet, etag) = await _users.ReadAsync<WalletDocument>(walletId, partition, cancellationToken);
            if (wallet is null)
            {
                continue;
            }

            if (wallet.ErasedTo is null)
            {
                wallet.ErasedTo = ErasedUserKey.PseudonymOf(tenantId, userId).Value;
                if (!await _users.TryReplaceAsync(wallet, wallet.Id, partition, etag!, cancellationToken))
                {
                    (wallet, _) = await _users.ReadAsync<WalletDocument>(walletId, partition, cancellationToken);
                    if (wallet?.ErasedTo is null)
                    {
                        throw new InvalidOperationException("The wallet changed during its owner's erasure; retry the erasure.");
                    }
                }
            }

            var pseudonym = wallet.ErasedTo!;
            var target = new PartitionKeyBuilder().Add(tenantId.Value).Add(pseudonym).Build();
            foreach (var entryId in await IdsAsync("wallet_entry", wallet.Kind, partition, cancellationToken))
            {
                var (entry, _) = await _users.ReadAsync<WalletEntryDocument>(entryId, partition, cancellationToken);
                if (entry is null)
                {
                    continue;
                }

                entry.UserId = pseudonym;
                await UpsertAsync(entry, target, cancellationToken);
                await DeleteAsync(entryId, partition, cancellationToken);
                moved++;
            }

            wallet.UserId = pseudonym;
            wallet.ErasedTo = null;
            await UpsertAsync(wallet, target, cancellationToken);
            await DeleteAsync(walletId, partition, cancellationToken);
            moved++;
        }

        return moved;
    }

    private Task<List<string>> IdsAsync(string type, string? walletKind, PartitionKey partition, CancellationToken cancellationToken)
    {
        var query = walletKind is null
            ? new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.type = @type").WithParameter("@type", type)
            : new QueryDefinition("SELECT VALUE c.id FROM c WHERE c.type = @type AND c.wallet_kind = @k").WithParameter("@type", type).WithParameter("@k", walletKind);
        return CosmosQueries.ListAsync<string>(_users, query, partition, cancellationToken);
    }

    private async Task UpsertAsync<T>(T document, PartitionKey partition, CancellationToken cancellationToken)
    {
        using var payload = CosmosStreams.Serialize(document);
        using var response = await _users.UpsertItemStreamAsync(payload, partition, cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    private async Task DeleteAsync(string id, PartitionKey partition, CancellationToken cancellationToken)
    {
        using var response = await _users.DeleteItemStreamAsync(id, partition, cancellationToken: cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }
}
