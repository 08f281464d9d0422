using System.Net;
using System.Text.Json.Serialization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Users;

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

    public async Task<UserId?> FindByVerifiedEmailAsync(TenantId tenantId, EmailAddress verified, CancellationToken cancellationToken)
    {
        var key = VerifiedEmailKey(verified);
        var (index, _) = await _lookups.ReadAsync<LookupDocument>(key, Keys.Lookup(tenantId, key), cancellationToken);
        return index is null ? null : UserId.Parse(index.UserId);
    }

    public async Task<bool> ReplaceVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Claim the new address' index first (the uniqueness check), then point the user at it, then free the old index.
        if (await ClaimAsync(tenantId, VerifiedEmailKey(verified), userId, now, cancellationToken) != userId)
        {
            return false;
        }

        var (user, _) = await _users.ReadAsync<UserDocument>(UserDocument.IdFor(userId), Keys.User(tenantId, userId), cancellationToken);
        if (user is null)
        {
            await CreateUserAsync(tenantId, userId, contact: null, verified, now, cancellationToken);
            return true;
        }

        using var patched = await _users.PatchItemStreamAsync(UserDocument.IdFor(userId), Keys.User(tenantId, userId), [PatchOperation.Set("/verified_email", verified.Value)], cancellationToken: cancellationToken);
        patched.EnsureSuccessStatusCode();
        if (EmailAddress.TryParse(user.VerifiedEmail, out var old) && old.Value != verified)
        {
            var oldKey = VerifiedEmailKey(old.Value);
            using var released = await _lookups.DeleteItemStreamAsync(oldKey, Keys.Lookup(tenantId, oldKey), cancellationToken: cancellationToken);
            if (released.StatusCode != HttpStatusCode.NotFound)
            {
                released.EnsureSuccessStatusCode();
            }
        }

        return true;
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
        return new UserAccount(tenantId, userId, verified, contact, role, DateTimeOffset.FromUnixTimeMilliseconds(doc.CreatedAtMs), doc.DisplayName);
    }

    /// <summary>
    /// One query over the tenant's user partitions (a partition-key prefix query, never another tenant's) for the
    /// distinct ids' user documents, matched by document id as <see cref="GetAsync"/> reads them; only the user id and
    /// the display name come back, in one page (at most <see cref="IUserDirectory.MaxDisplayNameBatch"/>).
    /// </summary>
    public async Task<IReadOnlyDictionary<UserId, string?>> GetDisplayNamesAsync(TenantId tenantId, IReadOnlyCollection<UserId> userIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var distinct = userIds.Distinct().ToList();
        ArgumentOutOfRangeException.ThrowIfGreaterThan(distinct.Count, IUserDirectory.MaxDisplayNameBatch, nameof(userIds));
        if (distinct.Count == 0)
        {
            return new Dictionary<UserId, string?>();
        }

        var query = new QueryDefinition("SELECT c.userId, c.display_name FROM c WHERE ARRAY_CONTAINS(@ids, c.id)")
            .WithParameter("@ids", distinct.Select(UserDocument.IdFor).ToArray());
        var rows = await CosmosQueries.ListAsync<DisplayNameRow>(
            _users,
            query,
            new QueryRequestOptions { PartitionKey = Keys.TenantPrefix(tenantId), MaxItemCount = distinct.Count },
            distinct.Count,
            cancellationToken);
        var found = new Dictionary<UserId, string?>(rows.Count);
        foreach (var row in rows)
        {
            found[UserId.Parse(row.UserId)] = row.DisplayName;
        }

        return found;
    }

    public async Task<bool> SetDisplayNameAsync(TenantId tenantId, UserId userId, string? displayName, CancellationToken cancellationToken)
    {
        using var patched = await _users.PatchItemStreamAsync(UserDocument.IdFor(userId), Keys.User(tenantId, userId), [PatchOperation.Set("/display_name", displayName)], cancellationToken: cancellationToken);
        if (patched.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        patched.EnsureSuccessStatusCode();
        return true;
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

    private sealed class DisplayNameRow
    {
        [JsonPropertyName("userId")]
        public string UserId { get; set; } = "";

        public string? DisplayName { get; set; }
    }

    private static string InstallationKey(ExtensionId extensionId) => Keys.Hashed("ext:", extensionId.Value);

    // A new prefix on purpose: the "email:" documents of earlier versions indexed unverified emails and must never be
    // found again (see the class comment).
    private static string VerifiedEmailKey(EmailAddress email) => Keys.Hashed("vemail:", email.Value);
}
