using Microsoft.Extensions.Caching.Memory;
using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Infrastructure.Users;

/// <summary>
/// An installation never changes users, so its link is cached in memory: a returning user's identify then reaches
/// the store once (to consume). Only the "email settled" flag can change, and only through this decorator.
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

    public async Task<InstallationLink> RegisterInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress? email, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var link = await inner.RegisterInstallationAsync(tenantId, extensionId, email, candidate, now, cancellationToken);
        cache.Set(Key(tenantId, extensionId), link with { CreatedNow = false }, EntryOptions);
        return link;
    }

    public async Task<bool> LinkEmailAsync(TenantId tenantId, ExtensionId extensionId, UserId userId, EmailAddress email, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var linked = await inner.LinkEmailAsync(tenantId, extensionId, userId, email, now, cancellationToken);
        cache.Set(Key(tenantId, extensionId), new InstallationLink(userId, EmailSettled: true, CreatedNow: false), EntryOptions);
        return linked;
    }

    public Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => inner.GetAsync(tenantId, userId, cancellationToken);

    public Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) => inner.EnsureUserAsync(tenantId, userId, now, cancellationToken);

    private static (string, string, string) Key(TenantId tenantId, ExtensionId extensionId) => ("installation", tenantId.Value, extensionId.Value);
}
