using System.Net;
using Microsoft.Azure.Cosmos;
using Microsoft.Extensions.Logging;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Usage;
using Shared.Domain.Users;
using Shared.Infrastructure.Json;
using Shared.Infrastructure.Tenants;

namespace Shared.Infrastructure.Cosmos;

public sealed class CosmosTenantStore(CosmosDatabase db) : ITenantStore
{
    private readonly Container _container = db.Container(CosmosContainers.Tenants);

    public async Task<Tenant?> GetAsync(TenantId id, CancellationToken cancellationToken)
    {
        var (doc, _) = await _container.ReadAsync<TenantEnvelope>("tenant", Keys.Tenant(id), cancellationToken);
        return doc?.Tenant.ToTenant();
    }

    public async Task UpsertAsync(Tenant tenant, CancellationToken cancellationToken)
    {
        using var payload = CosmosStreams.Serialize(new TenantEnvelope { TenantId = tenant.Id.Value, Tenant = TenantDocument.From(tenant) });
        using var response = await _container.UpsertItemStreamAsync(payload, Keys.Tenant(tenant.Id), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Across the tenants' partitions (one each) in id order. The tenant list is small and read by timer jobs only, so a
    /// cross-partition query with TOP is fine here; a page is at most <paramref name="max"/> documents.
    /// </summary>
    public async Task<IReadOnlyList<Tenant>> ListAsync(TenantId? after, int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var query = after is { } a
            ? new QueryDefinition("SELECT TOP @max * FROM c WHERE c.id = 'tenant' AND c.tenantId > @after ORDER BY c.tenantId").WithParameter("@after", a.Value)
            : new QueryDefinition("SELECT TOP @max * FROM c WHERE c.id = 'tenant' ORDER BY c.tenantId");
        using var iterator = _container.GetItemQueryIterator<TenantEnvelope>(query.WithParameter("@max", max), requestOptions: new QueryRequestOptions { MaxItemCount = max });
        var page = new List<Tenant>();
        while (iterator.HasMoreResults && page.Count < max)
        {
            page.AddRange((await iterator.ReadNextAsync(cancellationToken)).Select(d => d.Tenant.ToTenant()));
        }

        return [.. page.Take(max)];
    }
}

/// <summary>
/// Users (in <c>users</c>, one partition each) and their lookups (in <c>lookups</c>): an installation document per
/// extension id and an index document per VERIFIED email (<c>vemail:</c> + hash), each a create that fails on conflict,
/// so concurrent first calls agree on one owner. Unverified contact emails live only on the user document and have
/// no index: nothing can look a user up by one. The <c>email:</c> index documents of earlier versions (made from
/// unverified emails) are never read again.
/// </summary>
public sealed class CosmosUserDirectory(CosmosDatabase db) : IUserDirectory
{
    private readonly Container _users = db.Container(CosmosContainers.Users);
    private readonly Container _lookups = db.Container(CosmosContainers.Lookups);

    public async Task<InstallationLink?> FindInstallationAsync(TenantId tenantId, ExtensionId extensionId, CancellationToken cancellationToken)
    {
        var key = InstallationKey(extensionId);
        var (doc, _) = await _lookups.ReadAsync<LookupDocument>(key, Keys.Lookup(tenantId, key), cancellationToken);
        return doc is null ? null : new InstallationLink(UserId.Parse(doc.UserId), CreatedNow: false);
    }

    public async Task<InstallationLink> RegisterInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress? contact, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var owner = await ClaimAsync(tenantId, InstallationKey(extensionId), candidate, now, cancellationToken);
        if (owner != candidate)
        {
            return new InstallationLink(owner, CreatedNow: false);
        }

        await CreateUserAsync(tenantId, candidate, contact, verified: null, now, cancellationToken);
        return new InstallationLink(candidate, CreatedNow: true);
    }

    public async Task<InstallationLink> RegisterVerifiedInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress verified, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Claim order: the verified email first (so a second device of a known user joins that user), then the installation.
        var userId = await ClaimAsync(tenantId, VerifiedEmailKey(verified), candidate, now, cancellationToken);
        var owner = await ClaimAsync(tenantId, InstallationKey(extensionId), userId, now, cancellationToken);
        if (owner != userId)
        {
            // A concurrent first call linked the installation. If our candidate took the email index on the way, its
            // user document does not exist yet: create it so the index never points at nobody.
            if (userId == candidate)
            {
                await CreateUserAsync(tenantId, candidate, contact: null, verified, now, cancellationToken);
            }

            return new InstallationLink(owner, CreatedNow: false);
        }

        // The email's owner (new or existing) gets its user document with the email; a no-op when it exists, and the
        // repair when an earlier registration stopped between the index and the user document.
        await CreateUserAsync(tenantId, userId, contact: null, verified, now, cancellationToken);
        return new InstallationLink(userId, CreatedNow: true);
    }

    public async Task<EmailClaim> ClaimVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = VerifiedEmailKey(verified);
        var partitionKey = Keys.Lookup(tenantId, key);
        var (index, _) = await _lookups.ReadAsync<LookupDocument>(key, partitionKey, cancellationToken);
        if (index is not null)
        {
            return index.UserId == userId.Value ? EmailClaim.AlreadyOwned : EmailClaim.OwnedByAnotherUser;
        }

        var (user, _) = await _users.ReadAsync<UserDocument>(UserDocument.IdFor(userId), Keys.User(tenantId, userId), cancellationToken);
        if (user?.VerifiedEmail is not null)
        {
            return EmailClaim.UserHasAnotherEmail;
        }

        var owner = await ClaimAsync(tenantId, key, userId, now, cancellationToken);
        if (owner != userId)
        {
            return EmailClaim.OwnedByAnotherUser;
        }

        if (user is null)
        {
            await CreateUserAsync(tenantId, userId, contact: null, verified, now, cancellationToken);
            return EmailClaim.Claimed;
        }

        using var patched = await _users.PatchItemStreamAsync(
            UserDocument.IdFor(userId),
            Keys.User(tenantId, userId),
            [PatchOperation.Set("/verified_email", verified.Value)],
            new PatchItemRequestOptions { FilterPredicate = "FROM c WHERE NOT IS_DEFINED(c.verified_email) OR IS_NULL(c.verified_email)" },
            cancellationToken);
        if (patched.IsSuccessStatusCode)
        {
            return EmailClaim.Claimed;
        }

        if (patched.StatusCode != HttpStatusCode.PreconditionFailed)
        {
            patched.EnsureSuccessStatusCode();
        }

        // The user proved another email concurrently and kept it: give this index back.
        using var released = await _lookups.DeleteItemStreamAsync(key, partitionKey, cancellationToken: cancellationToken);
        if (released.StatusCode != HttpStatusCode.NotFound)
        {
            released.EnsureSuccessStatusCode();
        }

        return EmailClaim.UserHasAnotherEmail;
    }

    public async Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var (doc, _) = await _users.ReadAsync<UserDocument>(UserDocument.IdFor(userId), Keys.User(tenantId, userId), cancellationToken);
        if (doc is null)
        {
            return null;
        }

        EmailAddress? verified = EmailAddress.TryParse(doc.VerifiedEmail, out var v) ? v : null;
        // Documents written before verification existed carry "email": never verified, so read as the contact.
        EmailAddress? contact = EmailAddress.TryParse(doc.ContactEmail ?? doc.Email, out var c) ? c : null;
        _ = RoleNames.TryParse(doc.Role, out var role);
        return new UserAccount(tenantId, userId, verified, contact, role, DateTimeOffset.FromUnixTimeMilliseconds(doc.CreatedAtMs));
    }

    public Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) =>
        CreateUserAsync(tenantId, userId, contact: null, verified: null, now, cancellationToken);

    private Task<bool> CreateUserAsync(TenantId tenantId, UserId userId, EmailAddress? contact, EmailAddress? verified, DateTimeOffset now, CancellationToken cancellationToken) =>
        _users.TryCreateAsync(
            new UserDocument
            {
                Id = UserDocument.IdFor(userId),
                TenantId = tenantId.Value,
                UserId = userId.Value,
                ContactEmail = contact?.Value,
                VerifiedEmail = verified?.Value,
                Role = Role.User.ToClaim(),
                CreatedAtMs = now.ToUnixTimeMilliseconds(),
            },
            Keys.User(tenantId, userId),
            cancellationToken);

    /// <summary>Points <paramref name="key"/> at <paramref name="userId"/> unless it already points somewhere; returns the owner.</summary>
    private async Task<UserId> ClaimAsync(TenantId tenantId, string key, UserId userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var partitionKey = Keys.Lookup(tenantId, key);
        var claim = new LookupDocument { Id = key, TenantId = tenantId.Value, LookupKey = key, UserId = userId.Value, CreatedAtMs = now.ToUnixTimeMilliseconds() };
        if (await _lookups.TryCreateAsync(claim, partitionKey, cancellationToken))
        {
            return userId;
        }

        var (existing, _) = await _lookups.ReadAsync<LookupDocument>(key, partitionKey, cancellationToken);
        return existing is null
            ? throw new InvalidOperationException($"Lookup {key} conflicted on create but cannot be read.")
            : UserId.Parse(existing.UserId);
    }

    private static string InstallationKey(ExtensionId extensionId) => Keys.Hashed("ext:", extensionId.Value);

    // A new prefix on purpose: the "email:" documents of earlier versions indexed unverified emails and must never be
    // found again (see the class comment).
    private static string VerifiedEmailKey(EmailAddress email) => Keys.Hashed("vemail:", email.Value);
}

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

public sealed class CosmosUsageLogStore(CosmosDatabase db) : IUsageLogStore
{
    private readonly Container _container = db.Container(CosmosContainers.Usage);

    public async Task AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        foreach (var chunk in records.Chunk(32))
        {
            await Task.WhenAll(chunk.Select(record => _container.TryCreateAsync(
                new UsageDocument
                {
                    Id = UsageDocument.NewId(record.At),
                    TenantId = record.TenantId.Value,
                    UserId = record.UserId.Value,
                    ActionType = record.ActionType,
                    Outcome = ConsumeKindText.Format(record.Outcome),
                    AtMs = record.At.ToUnixTimeMilliseconds(),
                },
                Keys.User(record.TenantId, record.UserId),
                cancellationToken)));
        }
    }

    public Task<IReadOnlyList<UsageRecord>> ListForUserAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken) =>
        QueryAsync(
            new QueryDefinition("SELECT TOP @max * FROM c WHERE c.tenantId = @t AND c.userId = @u ORDER BY c.id DESC")
                .WithParameter("@t", tenantId.Value).WithParameter("@u", userId.Value).WithParameter("@max", max),
            tenantId,
            userId,
            cancellationToken);

    public Task<IReadOnlyList<UsageRecord>> ListForUserBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @t AND c.userId = @u AND c.at_ms >= @from AND c.at_ms < @to ORDER BY c.id")
                .WithParameter("@t", tenantId.Value).WithParameter("@u", userId.Value).WithParameter("@from", from.ToUnixTimeMilliseconds()).WithParameter("@to", to.ToUnixTimeMilliseconds()),
            tenantId,
            userId,
            cancellationToken);

    private async Task<IReadOnlyList<UsageRecord>> QueryAsync(QueryDefinition query, TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var list = new List<UsageRecord>();
        using var iterator = _container.GetItemQueryIterator<UsageDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = Keys.User(tenantId, userId) });
        while (iterator.HasMoreResults)
        {
            foreach (var doc in await iterator.ReadNextAsync(cancellationToken))
            {
                list.Add(new UsageRecord(tenantId, userId, doc.ActionType, ConsumeKindText.Parse(doc.Outcome), DateTimeOffset.FromUnixTimeMilliseconds(doc.AtMs)));
            }
        }

        return list;
    }
}
