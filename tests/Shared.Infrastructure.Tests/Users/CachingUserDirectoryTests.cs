using Microsoft.Extensions.Caching.Memory;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Users;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Users;

/// <summary>
/// The installation-link cache (review finding 3): an absolute lifetime on the injected clock, never extended by use, and
/// erasure forgets the user at once; the verified-email answer is cached only when it is the user's own (finding 4).
/// </summary>
public sealed class CachingUserDirectoryTests : IDisposable
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");
    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly MemoryCache _cache;
    private readonly CountingDirectory _store = new();
    private readonly CachingUserDirectory _directory;

    public CachingUserDirectoryTests()
    {
        _cache = new MemoryCache(new MemoryCacheOptions { Clock = new TimeProviderCacheClock(_clock), SizeLimit = 1000 });
        _directory = new CachingUserDirectory(_store, _cache);
    }

    [Fact]
    public async Task A_link_is_read_from_the_store_again_after_its_absolute_lifetime_however_often_it_is_used()
    {
        var extension = Extension();
        var user = UserId.New();
        _store.Links[extension] = user;

        for (var i = 0; i < 9; i++)
        {
            Assert.Equal(user, (await _directory.FindInstallationAsync(Alpha, extension, default))!.UserId);
            _clock.Advance(TimeSpan.FromMinutes(1)); // used every minute: a sliding expiry would never end
        }

        Assert.Equal(1, _store.Finds);
        _clock.Advance(CachingUserDirectory.LinkLifetime - TimeSpan.FromMinutes(9));
        _store.Links.Remove(extension); // erased on another instance
        Assert.Null(await _directory.FindInstallationAsync(Alpha, extension, default));
        Assert.Equal(2, _store.Finds);
    }

    [Fact]
    public async Task Erasing_a_user_forgets_their_cached_links_and_email_at_once()
    {
        var extension = Extension();
        var user = UserId.New();
        var email = EmailAddress.TryParse("ada@example.com", out var e) ? e.Value : throw new InvalidOperationException();
        _store.Links[extension] = user;
        _store.Claim = EmailClaim.AlreadyOwned;
        await _directory.FindInstallationAsync(Alpha, extension, default);
        await _directory.ClaimVerifiedEmailAsync(Alpha, user, email, _clock.GetUtcNow(), default);

        _directory.OnErased(Alpha, user);
        _store.Links.Remove(extension);
        _store.Claim = EmailClaim.Claimed;

        Assert.Null(await _directory.FindInstallationAsync(Alpha, extension, default));
        Assert.Equal(EmailClaim.Claimed, await _directory.ClaimVerifiedEmailAsync(Alpha, user, email, _clock.GetUtcNow(), default));
        Assert.Equal((2, 2), (_store.Finds, _store.Claims));
    }

    [Fact]
    public async Task An_email_the_user_owns_is_answered_from_memory_and_other_answers_always_reach_the_store()
    {
        var user = UserId.New();
        var email = EmailAddress.TryParse("ada@example.com", out var e) ? e.Value : throw new InvalidOperationException();
        var other = EmailAddress.TryParse("bob@example.com", out var o) ? o.Value : throw new InvalidOperationException();

        _store.Claim = EmailClaim.AlreadyOwned;
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(EmailClaim.AlreadyOwned, await _directory.ClaimVerifiedEmailAsync(Alpha, user, email, _clock.GetUtcNow(), default));
        }

        _store.Claim = EmailClaim.OwnedByAnotherUser;
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(EmailClaim.OwnedByAnotherUser, await _directory.ClaimVerifiedEmailAsync(Alpha, user, other, _clock.GetUtcNow(), default));
        }

        Assert.Equal(EmailClaim.OwnedByAnotherUser, await _directory.ClaimVerifiedEmailAsync(Alpha, UserId.New(), email, _clock.GetUtcNow(), default)); // another user: not from the cache
        Assert.Equal(1 + 3 + 1, _store.Claims);
    }

    [Fact]
    public async Task Display_names_are_never_served_from_memory_so_a_change_or_an_erasure_shows_at_once()
    {
        var user = UserId.New();
        var other = UserId.New();
        _store.Names[user] = "Ada";
        _store.Names[other] = null;

        Assert.Equal(new Dictionary<UserId, string?> { [user] = "Ada", [other] = null }, await _directory.GetDisplayNamesAsync(Alpha, [user, other], default));
        Assert.True(await _directory.SetDisplayNameAsync(Alpha, user, "Ada Lovelace", default));
        Assert.Equal("Ada Lovelace", (await _directory.GetDisplayNamesAsync(Alpha, [user], default))[user]);

        _store.Names.Remove(user); // erased (here or on another instance)
        _directory.OnErased(Alpha, user);
        Assert.Empty(await _directory.GetDisplayNamesAsync(Alpha, [user], default));
        Assert.Equal(3, _store.NameReads);
    }

    public void Dispose() => _cache.Dispose();

    private static ExtensionId Extension() => ExtensionId.TryParse($"ext-{Guid.NewGuid():N}", out var e) ? e.Value : throw new InvalidOperationException();

    /// <summary>A directory that counts the calls reaching it.</summary>
    private sealed class CountingDirectory : IUserDirectory
    {
        public Dictionary<ExtensionId, UserId> Links { get; } = [];

        public EmailClaim Claim { get; set; } = EmailClaim.Claimed;

        public int Finds { get; private set; }

        public int Claims { get; private set; }

        public Dictionary<UserId, string?> Names { get; } = [];

        public int NameReads { get; private set; }

        public Task<InstallationLink?> FindInstallationAsync(TenantId tenantId, ExtensionId extensionId, CancellationToken cancellationToken)
        {
            Finds++;
            return Task.FromResult(Links.TryGetValue(extensionId, out var user) ? new InstallationLink(user, CreatedNow: false) : null);
        }

        public Task<EmailClaim> ClaimVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken)
        {
            Claims++;
            return Task.FromResult(Claim);
        }

        public Task<InstallationLink> RegisterInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress? contact, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<InstallationLink> RegisterVerifiedInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress verified, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyDictionary<UserId, string?>> GetDisplayNamesAsync(TenantId tenantId, IReadOnlyCollection<UserId> userIds, CancellationToken cancellationToken)
        {
            NameReads++;
            return Task.FromResult<IReadOnlyDictionary<UserId, string?>>(userIds.Where(Names.ContainsKey).Distinct().ToDictionary(id => id, id => Names[id]));
        }

        public Task<bool> SetDisplayNameAsync(TenantId tenantId, UserId userId, string? displayName, CancellationToken cancellationToken)
        {
            if (!Names.ContainsKey(userId))
            {
                return Task.FromResult(false);
            }

            Names[userId] = displayName;
            return Task.FromResult(true);
        }

        public Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<UserId?> FindByVerifiedEmailAsync(TenantId tenantId, EmailAddress verified, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> ReplaceVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
