using Shared.Domain.Common;
using Shared.Domain.Marketplace;
using Shared.Domain.Users;
using Xunit;

namespace Shared.Domain.Tests.Marketplace;

/// <summary>A page's display names are one batched directory read: every distinct id once, a user not found read as no name.</summary>
public sealed class DisplayNamesTests
{
    private static readonly TenantId Alpha = TenantId.Parse("alpha");

    [Fact]
    public async Task A_page_reads_its_distinct_users_in_one_call_and_a_user_not_found_has_no_name()
    {
        var (ada, plain, missing) = (UserId.New(), UserId.New(), UserId.New());
        var directory = new BatchOnlyDirectory(new Dictionary<UserId, string?> { [ada] = "Ada", [plain] = null });

        var names = await DisplayNames.ReadAsync(directory, Alpha, [ada, plain, missing, ada, missing], default);

        Assert.Equal(new Dictionary<UserId, string?> { [ada] = "Ada", [plain] = null, [missing] = null }, names);
        Assert.Equal([[ada, plain, missing]], directory.Calls);
    }

    [Fact]
    public async Task An_empty_page_reads_nothing()
    {
        var directory = new BatchOnlyDirectory([]);

        Assert.Empty(await DisplayNames.ReadAsync(directory, Alpha, [], default));
        Assert.Empty(directory.Calls);
    }

    /// <summary>Answers only the batched read (any other call fails the test) and records what it was asked.</summary>
    private sealed class BatchOnlyDirectory(Dictionary<UserId, string?> names) : IUserDirectory
    {
        public List<UserId[]> Calls { get; } = [];

        public Task<IReadOnlyDictionary<UserId, string?>> GetDisplayNamesAsync(TenantId tenantId, IReadOnlyCollection<UserId> userIds, CancellationToken cancellationToken)
        {
            Assert.Equal(Alpha, tenantId);
            Calls.Add([.. userIds]);
            return Task.FromResult<IReadOnlyDictionary<UserId, string?>>(userIds.Where(names.ContainsKey).ToDictionary(id => id, id => names[id]));
        }

        public Task<UserAccount?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => throw new NotSupportedException("one read per user");

        public Task<InstallationLink?> FindInstallationAsync(TenantId tenantId, ExtensionId extensionId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<InstallationLink> RegisterInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress? contact, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<InstallationLink> RegisterVerifiedInstallationAsync(TenantId tenantId, ExtensionId extensionId, EmailAddress verified, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<EmailClaim> ClaimVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<UserId?> FindByVerifiedEmailAsync(TenantId tenantId, EmailAddress verified, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> ReplaceVerifiedEmailAsync(TenantId tenantId, UserId userId, EmailAddress verified, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<bool> SetDisplayNameAsync(TenantId tenantId, UserId userId, string? displayName, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task EnsureUserAsync(TenantId tenantId, UserId userId, DateTimeOffset now, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
