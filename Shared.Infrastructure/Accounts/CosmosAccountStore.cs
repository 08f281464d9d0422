using System.Globalization;
using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Accounts;

/// <summary>
/// Accounts in Cosmos DB (<see cref="AccountDocument"/>): uniqueness by create-or-conflict on a document whose id is the
/// key (email, phone); conditional changes by patch filters on non-secret fields, or by ETag where the condition is on a
/// hash (the test server lower-cases filter predicates, which base64 does not survive).
/// </summary>
public sealed class CosmosAccountStore(CosmosDatabase db) : IAccountStore
{
    private readonly Container _lookups = db.Container(CosmosContainers.Lookups);

    public Task<bool> TryCreateCredentialAsync(Credential credential, CancellationToken cancellationToken)
    {
        var key = CredentialKey(credential.Email);
        return _lookups.TryCreateAsync(
            new AccountDocument
            {
                Id = key,
                LookupKey = key,
                TenantId = credential.TenantId.Value,
                Type = "credential",
                UserId = credential.UserId.Value,
                Email = credential.Email.Value,
                PasswordHash = credential.PasswordHash,
                EmailVerified = credential.EmailVerified,
                CreatedAtMs = credential.CreatedAt.ToUnixTimeMilliseconds(),
            },
            Keys.Lookup(credential.TenantId, key),
            cancellationToken);
    }

    public async Task<Credential?> FindCredentialAsync(TenantId tenantId, EmailAddress email, CancellationToken cancellationToken) =>
        ToCredential(tenantId, (await ReadAsync(tenantId, CredentialKey(email), cancellationToken)).Document);

    public async Task<Credential?> FindCredentialOfUserAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        ToCredential(tenantId, (await QueryAsync(tenantId, "credential", userId, cancellationToken)).FirstOrDefault());

    public async Task<bool> ReplacePasswordHashAsync(TenantId tenantId, EmailAddress email, string expectedHash, string newHash, CancellationToken cancellationToken)
    {
        var key = CredentialKey(email);
        var (document, etag) = await ReadAsync(tenantId, key, cancellationToken);
        if (document is null || document.PasswordHash != expectedHash)
        {
            return false;
        }

        document.PasswordHash = newHash;
        return await _lookups.TryReplaceAsync(document, key, Keys.Lookup(tenantId, key), etag!, cancellationToken);
    }

    public async Task<bool> MoveCredentialAsync(TenantId tenantId, UserId userId, EmailAddress from, EmailAddress to, CancellationToken cancellationToken)
    {
        var (old, _) = await ReadAsync(tenantId, CredentialKey(from), cancellationToken);
        if (old is null || old.UserId != userId.Value)
        {
            return false;
        }

        var key = CredentialKey(to);
        old.Id = key;
        old.LookupKey = key;
        old.Email = to.Value;
        old.EmailVerified = true;
        if (!await _lookups.TryCreateAsync(old, Keys.Lookup(tenantId, key), cancellationToken))
        {
            return false;
        }

        await DeleteAsync(tenantId, CredentialKey(from), cancellationToken);
        return true;
    }

    public async Task ConfirmCredentialAsync(TenantId tenantId, EmailAddress email, UserId userId, string passwordHash, CancellationToken cancellationToken)
    {
        var key = CredentialKey(email);
        using var response = await _lookups.PatchItemStreamAsync(
            key,
            Keys.Lookup(tenantId, key),
            [PatchOperation.Set("/user_id", userId.Value), PatchOperation.Set("/password_hash", passwordHash), PatchOperation.Set("/email_verified", true)],
            cancellationToken: cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound) // erased meanwhile: nothing to confirm, as on SQLite
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task<UserId> ClaimPhoneAsync(TenantId tenantId, PhoneNumber phone, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = PhoneKey(phone);
        var document = new AccountDocument { Id = key, LookupKey = key, TenantId = tenantId.Value, Type = "phone", UserId = candidate.Value, Phone = phone.Value, CreatedAtMs = now.ToUnixTimeMilliseconds() };
        if (await _lookups.TryCreateAsync(document, Keys.Lookup(tenantId, key), cancellationToken))
        {
            return candidate;
        }

        return await FindPhoneOwnerAsync(tenantId, phone, cancellationToken) ?? throw new InvalidOperationException("A phone document conflicted on create but cannot be read.");
    }

    public async Task<UserId?> FindPhoneOwnerAsync(TenantId tenantId, PhoneNumber phone, CancellationToken cancellationToken) =>
        (await ReadAsync(tenantId, PhoneKey(phone), cancellationToken)).Document is { } d ? UserId.Parse(d.UserId) : null;

    public async Task SaveCodeAsync(VerificationCode code, CancellationToken cancellationToken)
    {
        var key = CodeKey(code.Purpose, code.Target);
        using var payload = CosmosStreams.Serialize(new AccountDocument
        {
            Id = key,
            LookupKey = key,
            TenantId = code.TenantId.Value,
            Type = "code",
            UserId = code.UserId.Value,
            Purpose = CodePurposeText.Format(code.Purpose),
            Target = code.Target,
            Salt = code.Salt,
            CodeHash = code.Hash,
            PendingPasswordHash = code.PendingPasswordHash,
            Attempts = code.Attempts,
            CreatedAtMs = code.SentAt.ToUnixTimeMilliseconds(),
            ExpiresAtMs = code.ExpiresAt.ToUnixTimeMilliseconds(),
        });
        using var response = await _lookups.UpsertItemStreamAsync(payload, Keys.Lookup(code.TenantId, key), cancellationToken: cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public async Task<VerificationCode?> FindCodeAsync(TenantId tenantId, CodePurpose purpose, string target, CancellationToken cancellationToken)
    {
        var (d, _) = await ReadAsync(tenantId, CodeKey(purpose, target), cancellationToken);
        return d is null
            ? null
            : new VerificationCode(tenantId, purpose, target, UserId.Parse(d.UserId), d.Salt ?? "", d.CodeHash ?? "", d.Attempts ?? 0, DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(d.ExpiresAtMs ?? 0), d.PendingPasswordHash);
    }

    public async Task<bool> TryTakeAttemptAsync(TenantId tenantId, CodePurpose purpose, string target, string hash, int maxAttempts, CancellationToken cancellationToken)
    {
        // The code hash is lower-case hex and the limit a number: both survive the filter as written.
        var key = CodeKey(purpose, target);
        using var response = await _lookups.PatchItemStreamAsync(
            key,
            Keys.Lookup(tenantId, key),
            [PatchOperation.Increment("/attempts", 1)],
            new PatchItemRequestOptions { FilterPredicate = string.Create(CultureInfo.InvariantCulture, $"FROM c WHERE c.code_hash = '{Hex(hash)}' AND c.attempts < {maxAttempts}") },
            cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task<bool> TryDeleteCodeAsync(TenantId tenantId, CodePurpose purpose, string target, string hash, CancellationToken cancellationToken)
    {
        var key = CodeKey(purpose, target);
        var (d, etag) = await ReadAsync(tenantId, key, cancellationToken);
        if (d is null || d.CodeHash != hash)
        {
            return false;
        }

        using var response = await _lookups.DeleteItemStreamAsync(key, Keys.Lookup(tenantId, key), new ItemRequestOptions { IfMatchEtag = etag }, cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public async Task CreateRefreshFamilyAsync(RefreshFamily family, CancellationToken cancellationToken)
    {
        var key = FamilyKey(family.FamilyId);
        var created = await _lookups.TryCreateAsync(
            new AccountDocument { Id = key, LookupKey = key, TenantId = family.TenantId.Value, Type = "refresh_family", UserId = family.UserId.Value, FamilyId = family.FamilyId, CreatedAtMs = family.CreatedAt.ToUnixTimeMilliseconds() },
            Keys.Lookup(family.TenantId, key),
            cancellationToken);
        if (!created)
        {
            throw new InvalidOperationException("A new refresh family id collided (128 random bits): refusing to share it.");
        }
    }

    public async Task<RefreshFamily?> FindRefreshFamilyAsync(TenantId tenantId, string familyId, CancellationToken cancellationToken)
    {
        var (d, _) = await ReadAsync(tenantId, FamilyKey(familyId), cancellationToken);
        return d is null ? null : new RefreshFamily(tenantId, familyId, UserId.Parse(d.UserId), DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAtMs), d.RevokedAtMs is { } r ? DateTimeOffset.FromUnixTimeMilliseconds(r) : null);
    }

    public async Task RevokeRefreshFamilyAsync(TenantId tenantId, string familyId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = FamilyKey(familyId);
        using var response = await _lookups.PatchItemStreamAsync(
            key,
            Keys.Lookup(tenantId, key),
            [PatchOperation.Set("/revoked_at_ms", at.ToUnixTimeMilliseconds())],
            new PatchItemRequestOptions { FilterPredicate = "FROM c WHERE NOT IS_DEFINED(c.revoked_at_ms) OR IS_NULL(c.revoked_at_ms)" },
            cancellationToken);
        if (response.StatusCode is not (HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound))
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public async Task RevokeRefreshFamiliesOfUserAsync(TenantId tenantId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        foreach (var family in await QueryAsync(tenantId, "refresh_family", userId, cancellationToken))
        {
            if (family.RevokedAtMs is null && family.CreatedAtMs <= at.ToUnixTimeMilliseconds() && family.FamilyId is { } id)
            {
                await RevokeRefreshFamilyAsync(tenantId, id, at, cancellationToken);
            }
        }
    }

    public async Task CreateRefreshTokenAsync(RefreshToken token, CancellationToken cancellationToken)
    {
        var key = TokenKey(token.Hash);
        var created = await _lookups.TryCreateAsync(
            new AccountDocument
            {
                Id = key,
                LookupKey = key,
                TenantId = token.TenantId.Value,
                Type = "refresh_token",
                UserId = token.UserId.Value,
                FamilyId = token.FamilyId,
                CreatedAtMs = token.IssuedAt.ToUnixTimeMilliseconds(),
                ExpiresAtMs = token.ExpiresAt.ToUnixTimeMilliseconds(),
            },
            Keys.Lookup(token.TenantId, key),
            cancellationToken);
        if (!created)
        {
            throw new InvalidOperationException("A new refresh token collided (256 random bits): refusing to share it.");
        }
    }

    public async Task<RefreshToken?> FindRefreshTokenAsync(TenantId tenantId, string hash, CancellationToken cancellationToken)
    {
        var (d, _) = await ReadAsync(tenantId, TokenKey(hash), cancellationToken);
        return d is null
            ? null
            : new RefreshToken(tenantId, hash, d.FamilyId ?? "", UserId.Parse(d.UserId), DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAtMs), DateTimeOffset.FromUnixTimeMilliseconds(d.ExpiresAtMs ?? 0), d.UsedAtMs is { } u ? DateTimeOffset.FromUnixTimeMilliseconds(u) : null);
    }

    public async Task<bool> TryUseRefreshTokenAsync(TenantId tenantId, string hash, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var key = TokenKey(hash);
        using var response = await _lookups.PatchItemStreamAsync(
            key,
            Keys.Lookup(tenantId, key),
            [PatchOperation.Set("/used_at_ms", at.ToUnixTimeMilliseconds())],
            new PatchItemRequestOptions { FilterPredicate = "FROM c WHERE NOT IS_DEFINED(c.used_at_ms) OR IS_NULL(c.used_at_ms)" },
            cancellationToken);
        if (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    private Task<(AccountDocument? Document, string? ETag)> ReadAsync(TenantId tenantId, string key, CancellationToken cancellationToken) =>
        _lookups.ReadAsync<AccountDocument>(key, Keys.Lookup(tenantId, key), cancellationToken);

    private async Task DeleteAsync(TenantId tenantId, string key, CancellationToken cancellationToken)
    {
        using var response = await _lookups.DeleteItemStreamAsync(key, Keys.Lookup(tenantId, key), cancellationToken: cancellationToken);
        if (response.StatusCode != HttpStatusCode.NotFound)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>The tenant's documents of one type naming the user (a query over the tenant's partitions).</summary>
    private async Task<List<AccountDocument>> QueryAsync(TenantId tenantId, string type, UserId userId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = @type AND c.user_id = @user").WithParameter("@type", type).WithParameter("@user", userId.Value);
        using var iterator = _lookups.GetItemQueryIterator<AccountDocument>(query, requestOptions: new QueryRequestOptions { PartitionKey = new PartitionKeyBuilder().Add(tenantId.Value).Build() });
        var found = new List<AccountDocument>();
        while (iterator.HasMoreResults)
        {
            found.AddRange(await iterator.ReadNextAsync(cancellationToken));
        }

        return found;
    }

    private static Credential? ToCredential(TenantId tenantId, AccountDocument? d) =>
        d is not null && EmailAddress.TryParse(d.Email, out var email)
            ? new Credential(tenantId, email.Value, UserId.Parse(d.UserId), d.PasswordHash ?? "", d.EmailVerified == true, DateTimeOffset.FromUnixTimeMilliseconds(d.CreatedAtMs))
            : null;

    /// <summary>Refuses anything but lower-case hex where a value is written into a filter (never input, but cheap to be sure).</summary>
    private static string Hex(string value) => value.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') ? value : throw new ArgumentException("Not lower-case hex.", nameof(value));

    private static string CredentialKey(EmailAddress email) => Keys.Hashed("cred:", email.Value);

    private static string PhoneKey(PhoneNumber phone) => Keys.Hashed("phone:", phone.Value);

    private static string CodeKey(CodePurpose purpose, string target) => Keys.Hashed("code:" + CodePurposeText.Format(purpose) + ":", target);

    private static string FamilyKey(string familyId) => "rtf:" + familyId;

    private static string TokenKey(string hash) => "rt:" + hash;
}
