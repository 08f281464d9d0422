using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Wallets;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Wallets;

/// <summary>
/// Wallets in Cosmos DB: the wallet document and its entries live in the owner's partition of <c>users</c>
/// ([tenantId, userId]), and every operation is one transactional batch there: the wallet document replaced on the
/// ETag it was read with (created, when new) plus the new entries created under ids derived from their idempotency
/// keys. The batch commits all or nothing; if the wallet changed since it was read (412) or an entry or the wallet was
/// created meanwhile (409), nothing was written and the operation starts again from a fresh read (the key lookup
/// first, so a concurrent twin becomes a replay). So a debit never takes more than the version it read allowed, and
/// the ledger and the balance never disagree.
/// </summary>
public sealed class CosmosWalletStore(CosmosDatabase db, TimeProvider time) : IWalletStore
{
    /// <summary>Each failed attempt means another operation on the same wallet committed; this bounds a pathological loop.</summary>
    private const int MaxAttempts = 100;
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public async Task<WalletResult> ApplyAsync(WalletKey wallet, WalletOperation operation, CancellationToken cancellationToken)
    {
        var partition = Keys.User(wallet.TenantId, wallet.UserId);
        var kind = WalletText.Format(wallet.Kind);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // The wallet first, then the operation's entries: a twin committed after this read changes the wallet's ETag
            // (this attempt's batch then fails and retries); one committed before it has its entries visible here (same
            // batch), so it is found as a replay. Read the other way round, a twin committing between the two reads made
            // the hold look already settled (HoldNotFound) instead of replayed.
            var (document, etag) = await _users.ReadAsync<WalletDocument>(WalletDocument.IdOf(kind), partition, cancellationToken);
            var existing = await FindEntriesAsync(wallet, operation, partition, cancellationToken);
            var state = document is null ? WalletState.Empty : new WalletState(new WalletBalance(document.Balance, document.Held), document.Seq, document.Holds);
            if (existing.Count > 0)
            {
                // A replay answers what was written then, before anything else is read: the refund and shortfall queries
                // below only matter to a new operation's plan.
                var replay = WalletLedger.Replay(existing[0], operation);
                return new WalletResult(replay, replay == WalletOutcome.Replayed ? existing : [], state.Balance);
            }

            if (operation.Type == WalletOperationType.DebitUpTo && document is not null)
            {
                // Read after the wallet: every entry of the version read is visible, and a refund committed since changes the wallet's ETag.
                state = state with { RefundedForReference = await RefundedAsync(wallet, operation.Reference!, partition, cancellationToken) };
            }

            if (operation is { Type: WalletOperationType.Credit, Kind: LedgerEntryKind.TopUp, Reference: { } payment } && document is not null)
            {
                // Same reasoning: refunds of this payment that came before its credit (see WalletLedger.Plan).
                state = state with { ShortfallForReference = await ShortfallAsync(wallet, payment, partition, cancellationToken) };
            }

            var plan = WalletLedger.Plan(state, operation, time.GetUtcNow(), SqliteWalletStore.NewEntryId);
            if (plan.Outcome != WalletOutcome.Applied)
            {
                return WalletResult.Refused(plan.Outcome, state.Balance);
            }

            var next = new WalletDocument
            {
                Id = WalletDocument.IdOf(kind),
                TenantId = wallet.TenantId.Value,
                UserId = wallet.UserId.Value,
                Kind = kind,
                Balance = plan.After.Balance.Balance,
                Held = plan.After.Balance.Held,
                Seq = plan.After.Sequence,
                Holds = new Dictionary<string, long>(plan.After.OpenHolds, StringComparer.Ordinal),
            };
            var batch = _users.CreateTransactionalBatch(partition);
            batch = etag is null
                ? batch.CreateItemStream(CosmosStreams.Serialize(next))
                : batch.ReplaceItemStream(next.Id, CosmosStreams.Serialize(next), new TransactionalBatchItemRequestOptions { IfMatchEtag = etag });
            foreach (var entry in plan.Entries)
            {
                batch = batch.CreateItemStream(CosmosStreams.Serialize(WalletEntryDocument.From(wallet, entry)));
            }

            using var response = await batch.ExecuteAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new WalletResult(WalletOutcome.Applied, plan.Entries, plan.After.Balance);
            }

            if (response.StatusCode is not (HttpStatusCode.PreconditionFailed or HttpStatusCode.Conflict))
            {
                throw new CosmosException($"Wallet batch failed: {response.ErrorMessage}", response.StatusCode, 0, response.ActivityId, response.RequestCharge);
            }
        }

        throw new InvalidOperationException($"The wallet changed under {MaxAttempts} attempts in a row; the operation was not applied.");
    }

    public async Task<WalletBalance> GetBalanceAsync(WalletKey wallet, CancellationToken cancellationToken)
    {
        var (document, _) = await _users.ReadAsync<WalletDocument>(WalletDocument.IdOf(WalletText.Format(wallet.Kind)), Keys.User(wallet.TenantId, wallet.UserId), cancellationToken);
        return document is null ? WalletBalance.Empty : new WalletBalance(document.Balance, document.Held);
    }

    public async Task<IReadOnlyDictionary<string, long>> ListOpenHoldsAsync(WalletKey wallet, CancellationToken cancellationToken)
    {
        var (document, _) = await _users.ReadAsync<WalletDocument>(WalletDocument.IdOf(WalletText.Format(wallet.Kind)), Keys.User(wallet.TenantId, wallet.UserId), cancellationToken);
        return document is null ? new Dictionary<string, long>(StringComparer.Ordinal) : new Dictionary<string, long>(document.Holds, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<LedgerEntry>> ListEntriesAsync(WalletKey wallet, long? before, int pageSize, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @n * FROM c WHERE c.type = 'wallet_entry' AND c.wallet_kind = @k AND c.seq < @before ORDER BY c.seq DESC")
            .WithParameter("@n", pageSize)
            .WithParameter("@k", WalletText.Format(wallet.Kind))
            .WithParameter("@before", before ?? long.MaxValue);
        var documents = await CosmosQueries.ListAsync<WalletEntryDocument>(_users, query, new QueryRequestOptions { PartitionKey = Keys.User(wallet.TenantId, wallet.UserId) }, pageSize, cancellationToken);
        return [.. documents.Select(d => d.ToEntry())];
    }

    private async Task<long> RefundedAsync(WalletKey wallet, string payment, PartitionKey partition, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT VALUE c.requested FROM c WHERE c.type = 'wallet_entry' AND c.wallet_kind = @k AND c.kind = 'refund' AND c.reference = @ref")
            .WithParameter("@k", WalletText.Format(wallet.Kind))
            .WithParameter("@ref", payment);
        return (await CosmosQueries.ListAsync<long>(_users, query, partition, cancellationToken)).Sum();
    }

    private async Task<long> ShortfallAsync(WalletKey wallet, string payment, PartitionKey partition, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT c.requested, c.amount FROM c WHERE c.type = 'wallet_entry' AND c.wallet_kind = @k AND c.kind = 'refund' AND c.reference = @ref")
            .WithParameter("@k", WalletText.Format(wallet.Kind))
            .WithParameter("@ref", payment);
        return (await CosmosQueries.ListAsync<RefundAmounts>(_users, query, partition, cancellationToken)).Sum(r => r.Requested + r.Amount);
    }

    private async Task<List<LedgerEntry>> FindEntriesAsync(WalletKey wallet, WalletOperation operation, PartitionKey partition, CancellationToken cancellationToken)
    {
        var kind = WalletText.Format(wallet.Kind);
        var keys = operation.Type == WalletOperationType.Settle ? new[] { operation.IdempotencyKey, WalletOperation.ReleaseKey(operation.HoldKey!) } : [operation.IdempotencyKey];
        var found = new List<LedgerEntry>(keys.Length);
        foreach (var key in keys)
        {
            var (document, _) = await _users.ReadAsync<WalletEntryDocument>(WalletEntryDocument.IdOf(kind, key), partition, cancellationToken);
            if (document is null)
            {
                break; // the first entry decides; a settlement's release exists only with its charge
            }

            found.Add(document.ToEntry());
        }

        return found;
    }

    /// <summary>The two fields of a refund entry the shortfall is summed from.</summary>
    private sealed class RefundAmounts
    {
        [System.Text.Json.Serialization.JsonPropertyName("requested")]
        public long Requested { get; set; }

        [System.Text.Json.Serialization.JsonPropertyName("amount")]
        public long Amount { get; set; }
    }
}
