using Microsoft.Extensions.Caching.Memory;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Domain.Users;

namespace Shared.Infrastructure.Users;

/// <summary>
/// An installation never changes users, so its link is cached in memory: a returning user's identify then reaches
/// the store once (to consume). A link lives at most <see cref="LinkLifetime"/> from when it was read (absolute, on the
/// cache's clock, which is the injected TimeProvider), never refreshed by use: an installation that was erased on
/// another instance is forgotten here within that time (and identify checks the tombstone meanwhile). Erasing a user
/// on this instance forgets their links at once (<see cref="OnErased"/>).
/// A verified email already owned by the user is remembered too (<see cref="ClaimVerifiedEmailAsync"/>): identify
/// with an ID token then costs no extra store call per use. Only that answer is cached: it cannot change while the
/// user exists (an account keeps the email it proved first), and erasure forgets it.
/// </summary>
public sealed class CachingUserDirectory(IUserDirectory inner, IMemoryCache cache) : IUserDirectory, IErasureListener
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(10);

    private static readonly MemoryCacheEntryOptions EntryOptions = new() { AbsoluteExpirationRelativeToNow = LinkLifetime, Size = 1 };

    public async Task<InstallationLink?> FindInstallationAsync(TenantId tenantId, ExtensionId extensionId, CancellationToken cancellationToken)
    {
        var key = Key(tenantId, extensionId);
        if (cache.TryGetValue(key, out InstallationLink? cached) && cached is not null)
        {
            if (!IsForgotten(tenantId, cached.UserId))
            {
                return cached;
            }

            cache.Remove(key);
        }

        var link = await inner.FindInstallationAsync(tenantId, extensionId, cancellationToken);
        if (link is not null)
        {
            cache.Set(key, link, EntryOptions);
        }

        return link;
    }

    public async Task<InstallationLink> RegisterInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress? contact, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) =>
        Remember(tenantId, extensionId, await inner.RegisterInstallationAsync(tenantId, extensionId, contact, candidate, now, cancellationToken));

    public async Task<InstallationLink> RegisterVerifiedInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress verified, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) =>
        Remember(tenantId, extensionId, await inner.RegisterVerifiedInstallationAsync(tenantId, extensionId, verified, candidate, now, cancellationToken));

    public async Task<EmailClaim> ClaimVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var key = ("owned-email", tenantId.Value, userId.Value, verified.Value);
        if (cache.TryGetValue(key, out bool owned) && owned && !IsForgotten(tenantId, userId))
        {
            return EmailClaim.AlreadyOwned;
        }

        var claim = await inner.ClaimVerifiedEmailAsync(tenantId, userId, verified, now, cancellationToken);
        if (claim is EmailClaim.AlreadyOwned or EmailClaim.Claimed)
        {
            // Claimed: the next call would answer AlreadyOwned from the store.
            cache.Set(key, true, EntryOptions);
        }

        return claim;
    }

    public Task<UserId?> FindByVerifiedEmailAsync(TenantId tenantId, EmailAddress verified, CancellationToken cancellationToken) => inner.FindByVerifiedEmailAsync(tenantId, verified, cancellationToken);

    /// <summary>Forgets this instance's "already owned" answer for the user's previous email, so identify re-checks it.</summary>
    public async Task<bool> ReplaceVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if ((await inner.GetAsync(tenantId, userId, cancellationToken))?.VerifiedEmail is { } previous)
        {
            cache.Remove(("owned-email", tenantId.Value, userId.Value, previous.Value));
        }

        return await inner.ReplaceVerifiedEmailAsync(tenantId, userId, verified, now, cancellationToken);
    }

    public Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => inner.GetAsync(tenantId, userId, cancellationToken);

    /// <summary>Not cached, like <see cref="GetAsync"/>: accounts are never cached here, so a changed or erased name is never served stale.</summary>
    public Task<IReadOnlyDictionary<UserId, string?>> GetDisplayNamesAsync(TenantId tenantId, IReadOnlyCollection<UserId> userIds, CancellationToken cancellationToken) =>
        inner.GetDisplayNamesAsync(tenantId, userIds, cancellationToken);

    public Task<bool> SetDisplayNameAsync(TenantId tenantId, UserId userId, string? displayName, CancellationToken cancellationToken) =>
        inner.SetDisplayNameAsync(tenantId, userId, displayName, cancellationToken);

    public Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) => inner.EnsureUserAsync(tenantId, userId, now, cancellationToken);

    /// <summary>
    /// Forgets the user's cached links and email. The cache cannot be searched by user, so the user is marked for the
    /// lifetime of a link instead: any cached answer naming them is dropped when next read (and goes to the store).
    /// </summary>
    public void OnErased(TenantId tenantId, UserId userId) =>
        cache.Set(("erased", tenantId.Value, userId.Value), true, EntryOptions);

    private bool IsForgotten(TenantId tenantId, UserId userId) => cache.TryGetValue(("erased", tenantId.Value, userId.Value), out _);

    private InstallationLink Remember(TenantId tenantId, ExtensionId extensionId, InstallationLink link)
    {
        cache.Set(Key(tenantId, extensionId), link with { CreatedNow = false }, EntryOptions);
        return link;
    }

    private static (string, string, string) Key(TenantId tenantId, ExtensionId extensionId) => ("installation", tenantId.Value, extensionId.Value);
}
