using Microsoft.Extensions.Caching.Memory;
using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Infrastructure.Users;

/// <summary>
/// An installation never changes users, so its link is cached in memory: a returning user's identify then reaches
/// the store once (to consume). Nothing else is cached (users' emails are read from the store when an ID token asks).
/// </summary>
public sealed class CachingUserDirectory(IUserDirectory inner, IMemoryCache cache) : IUserDirectory
{
    private static readonly MemoryCacheEntryOptions EntryOptions = new() { SlidingExpiration = TimeSpan.FromMinutes(30), Size = 1 };

    public async Task<InstallationLink?> FindInstallationAsync(TenantId tenantId, ExtensionId extensionId, CancellationToken cancellationToken)
    {
        var key = Key(tenantId, extensionId);
        if (cache.TryGetValue(key, out InstallationLink? cached))
        {
            return cached;
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

    public Task<EmailClaim> ClaimVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken) =>
        inner.ClaimVerifiedEmailAsync(tenantId, userId, verified, now, cancellationToken);

    public Task<UserId?> FindByVerifiedEmailAsync(TenantId tenantId, EmailAddress verified, CancellationToken cancellationToken) => inner.FindByVerifiedEmailAsync(tenantId, verified, cancellationToken);

    public Task<bool> ReplaceVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken) => inner.ReplaceVerifiedEmailAsync(tenantId, userId, verified, now, cancellationToken);

    public Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => inner.GetAsync(tenantId, userId, cancellationToken);

    public Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) => inner.EnsureUserAsync(tenantId, userId, now, cancellationToken);

    private InstallationLink Remember(TenantId tenantId, ExtensionId extensionId, InstallationLink link)
    {
        cache.Set(Key(tenantId, extensionId), link with { CreatedNow = false }, EntryOptions);
        return link;
    }

    private static (string, string, string) Key(TenantId tenantId, ExtensionId extensionId) => ("installation", tenantId.Value, extensionId.Value);
}
