using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Quotas;

public sealed class CosmosQuotaStore(CosmosDatabase db, ILogger<CosmosQuotaStore> logger) : IQuotaStore
{
    private const int MaxAttempts = 16;
    private readonly Container _container = db.Container(CosmosContainers.Users);

    public async Task<ConsumeOutcome?> TryConsumeAsync(TenantId tenantId, UserId userId, RequestKey? key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (key is { Kind: not RequestKeyKind.Identify })
        {
            throw new ArgumentException("Only identify keys are consumed this way; reservations use TryReserveAsync.", nameof(key));
        }

        var id = QuotaDocument.IdFor(userId);
        var partitionKey = Keys.User(tenantId, userId);
        var nowMs = now.ToUnixTimeMilliseconds();
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // The common case in one round trip: increment only if the stored period is current, a use is left and
            // the request key is new to this period (QuotaAccount.CanConsumeWithoutRollover as a filter predicate; a key
            // recorded in an earlier period is overwritten: it is a new use now).
            var filter = $"FROM c WHERE c.period_start_ms <= {nowMs} AND c.period_end_ms > {nowMs} AND (IS_NULL(c.hits_limit) OR c.used < c.hits_limit + c.bonus_uses)";
            List<PatchOperation> operations = [PatchOperation.Increment("/used", 1)];
            if (key is { } k)
            {
                filter += $" AND (NOT IS_DEFINED(c.requests[\"{k.Hash}\"]) OR c.requests[\"{k.Hash}\"].{RecordedUseDocument.AtName} < c.period_start_ms)";
                operations.Add(PatchOperation.Set($"/requests/{k.Hash}", new RecordedUseDocument { AtMs = nowMs }));
            }

            using (var patched = await _container.PatchItemStreamAsync(id, partitionKey, operations, new PatchItemRequestOptions { FilterPredicate = filter, EnableContentResponseOnWrite = true }, cancellationToken))
            {
                if (patched.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                if (patched.IsSuccessStatusCode)
                {
                    var doc = await CosmosStreams.DeserializeAsync<QuotaDocument>(patched, cancellationToken);
                    var written = patched.Headers.ETag;
                    if (key is { } recorded)
                    {
                        using var note = await _container.PatchItemStreamAsync(id, partitionKey, [PatchOperation.Set($"/requests/{recorded.Hash}/{RecordedUseDocument.UsedAfterName}", doc.Used)], cancellationToken: cancellationToken);
                        note.EnsureSuccessStatusCode();
                        written = note.Headers.ETag; // the pruning below is conditional on the document as it is now
                    }

                    var account = doc.ToAccount();
                    if (account.NeedsKeyPruning(now))
                    {
                        await PruneKeysAsync(account, written, now, cancellationToken);
                    }

                    return new ConsumeOutcome(ConsumeKind.Allowed, account.StatusAt(now));
                }

                if (patched.StatusCode != HttpStatusCode.PreconditionFailed)
                {
                    patched.EnsureSuccessStatusCode();
                }
            }

            // Rollover, exhaustion or a repeated key: decide in the domain, then write conditionally on the ETag read.
            var (current, etag) = await _container.ReadAsync<QuotaDocument>(id, partitionKey, cancellationToken);
            if (current is null)
            {
                return null;
            }

            var accountNow = current.ToAccount();
            var periodBefore = accountNow.Period;
            var outcome = accountNow.TryConsume(now, key);
            if (outcome.Kind == ConsumeKind.Replayed || (outcome.Kind == ConsumeKind.Denied && accountNow.Period == periodBefore))
            {
                return outcome;
            }

            if (await _container.TryReplaceAsync(QuotaDocument.From(accountNow), id, partitionKey, etag!, cancellationToken))
            {
                return outcome;
            }
        }

        throw new InvalidOperationException($"Quota of user {userId} stayed contended for {MaxAttempts} attempts.");
    }

    /// <summary>
    /// A read and a write conditional on its ETag (the in-flight count cannot be a patch predicate): parallel
    /// reservations of one user serialize on the account document, so neither the cap nor the quota is ever exceeded.
    /// </summary>
    public Task<ReserveOutcome?> TryReserveAsync(TenantId tenantId, UserId userId, RequestKey key, InFlightLimit limit, DateTimeOffset now, CancellationToken cancellationToken) =>
        ModifyAsync(
            tenantId,
            userId,
            account =>
            {
                if (account is null)
                {
                    return (false, (ReserveOutcome?)null);
                }

                var periodBefore = account.Period;
                var outcome = account.TryReserve(now, key, limit);
                return (outcome.Kind == ReserveKind.Reserved || account.Period != periodBefore, outcome);
            },
            cancellationToken);

    /// <summary>One patch, conditional on the reservation being held (so settling twice, or after a release, changes nothing).</summary>
    public async Task<bool> SettleAsync(TenantId tenantId, UserId userId, RequestKey key, CancellationToken cancellationToken)
    {
        if (key.Kind != RequestKeyKind.Reservation)
        {
            throw new ArgumentException("Only reservation keys can be settled.", nameof(key));
        }

        var entry = $"c.requests[\"{key.Hash}\"]";
        using var response = await _container.PatchItemStreamAsync(
            QuotaDocument.IdFor(userId),
            Keys.User(tenantId, userId),
            [PatchOperation.Set($"/requests/{key.Hash}/{RecordedUseDocument.SettledName}", true)],
            new PatchItemRequestOptions { FilterPredicate = $"FROM c WHERE IS_DEFINED({entry}) AND NOT IS_DEFINED({entry}.{RecordedUseDocument.ReleasedName}) AND NOT IS_DEFINED({entry}.{RecordedUseDocument.SettledName})" },
            cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public Task CreateIfMissingAsync(QuotaAccount account, CancellationToken cancellationToken) =>
        _container.TryCreateAsync(QuotaDocument.From(account), Keys.User(account.TenantId, account.UserId), cancellationToken);

    public async Task<QuotaAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var (doc, _) = await _container.ReadAsync<QuotaDocument>(QuotaDocument.IdFor(userId), Keys.User(tenantId, userId), cancellationToken);
        return doc?.ToAccount();
    }

    public Task<bool> ChangePlanAsync(TenantId tenantId, UserId userId, PlanId planId, Allowance allowance, DateTimeOffset anchor, DateTimeOffset now, CancellationToken cancellationToken) =>
        ModifyAsync(tenantId, userId, account => account is null ? (false, false) : (account.ChangePlan(planId, allowance, anchor, now), true), cancellationToken);

    public Task<ReleaseOutcome> ReleaseAsync(TenantId tenantId, UserId userId, RequestKey key, DateTimeOffset now, CancellationToken cancellationToken) =>
        ModifyAsync(
            tenantId,
            userId,
            account =>
            {
                var outcome = account?.Release(key, now) ?? ReleaseOutcome.Unknown;
                return (outcome is ReleaseOutcome.Released or ReleaseOutcome.PeriodEnded, outcome); // PeriodEnded still ends the reservation
            },
            cancellationToken);

    public Task<IReadOnlyList<UserId>> ListEndedPeriodsAsync(TenantId tenantId, DateTimeOffset now, UserId? after, int max, CancellationToken cancellationToken) =>
        CosmosQueries.UserIdsAsync(
            _container,
            new QueryDefinition("SELECT TOP @max c.userId FROM c WHERE c.type = 'quota' AND c.period_end_ms <= @now AND c.userId > @after ORDER BY c.userId")
                .WithParameter("@max", max).WithParameter("@now", now.ToUnixTimeMilliseconds()).WithParameter("@after", after?.Value ?? ""),
            tenantId,
            cancellationToken);

    public Task<UsageArchiveEntry?> RollOverAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        ModifyAsync(
            tenantId,
            userId,
            account => account?.RollOver(now) is { } ended ? (true, new UsageArchiveEntry(tenantId, userId, account.PlanId, ended.Ended, ended.Used)) : (false, (UsageArchiveEntry?)null),
            cancellationToken,
            // The archive entry first (its id is the period: created once however often this runs), then the reset.
            async entry => await _container.TryCreateAsync(
                new UsageArchiveDocument
                {
                    Id = UsageArchiveDocument.IdFor(entry!.Period),
                    TenantId = tenantId.Value,
                    UserId = userId.Value,
                    PlanId = entry.PlanId.Value,
                    PeriodStartMs = entry.Period.Start.ToUnixTimeMilliseconds(),
                    PeriodEndMs = entry.Period.End.ToUnixTimeMilliseconds(),
                    Used = entry.Used,
                },
                Keys.User(tenantId, userId),
                cancellationToken));

    public Task<bool> GrantBonusAsync(TenantId tenantId, UserId userId, string grantKey, int uses, CancellationToken cancellationToken) =>
        ModifyAsync(tenantId, userId, account => account is not null && account.Grant(grantKey, uses) ? (true, true) : (false, false), cancellationToken);

    /// <summary>
    /// Reads the account, lets the domain change it (<paramref name="change"/> says whether to write, and the answer),
    /// runs <paramref name="beforeWrite"/> and writes it back conditionally on the ETag read; again when another write
    /// got in between. The change runs on a fresh copy each attempt.
    /// </summary>
    private async Task<T> ModifyAsync<T>(TenantId tenantId, UserId userId, Func<QuotaAccount?, (bool Write, T Result)> change, CancellationToken cancellationToken, Func<T, Task>? beforeWrite = null)
    {
        var id = QuotaDocument.IdFor(userId);
        var partitionKey = Keys.User(tenantId, userId);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var (doc, etag) = await _container.ReadAsync<QuotaDocument>(id, partitionKey, cancellationToken);
            var account = doc?.ToAccount();
            var (write, result) = change(account);
            if (!write)
            {
                return result;
            }

            if (beforeWrite is not null)
            {
                await beforeWrite(result);
            }

            if (await _container.TryReplaceAsync(QuotaDocument.From(account!), id, partitionKey, etag!, cancellationToken))
            {
                return result;
            }
        }

        throw new InvalidOperationException($"Quota of user {userId} stayed contended for {MaxAttempts} attempts.");
    }

    private async Task PruneKeysAsync(QuotaAccount account, string etag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        account.ForgetOldKeys(now);
        var pruned = await _container.TryReplaceAsync(QuotaDocument.From(account), QuotaDocument.IdFor(account.UserId), Keys.User(account.TenantId, account.UserId), etag, cancellationToken);
        if (!pruned)
        {
            // Another write got there first; the next consumption that finds stale keys prunes them.
            logger.LogDebug("Pruning request keys of {UserId} deferred: the account changed meanwhile", account.UserId);
        }
    }
}
