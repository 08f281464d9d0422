using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using Shared.Infrastructure.Secrets;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

/// <summary>The keys JwtBearer validates with, and the upgrade-link tokens made from the same secrets.</summary>
public sealed class AccessTokenKeySourceTests
{
    private const string Key = "key-source-tests-signing-key-0123456789abcdef0123";

    [Fact]
    public async Task Forged_tokens_cannot_make_the_keys_be_read_again_more_than_once_a_minute()
    {
        var secrets = new CountingSecrets(Key);
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var source = new AccessTokenKeySource(new SigningKeyRing(secrets), new TokenOptions(), clock);

        var first = await source.GetConfigurationAsync(default);
        for (var i = 0; i < 100; i++)
        {
            source.RequestRefresh(); // what JwtBearer does for every token whose key it does not know
            await source.GetConfigurationAsync(default);
        }

        var withinTheMinute = secrets.Invalidations;
        clock.Advance(TimeSpan.FromMinutes(1));
        source.RequestRefresh();
        var again = await source.GetConfigurationAsync(default);

        Assert.Equal(1, withinTheMinute);
        Assert.Equal(2, secrets.Invalidations);
        Assert.Same(first, again); // same secrets: the same key objects, no re-derivation
        Assert.Equal("serverless-backend", first.Issuer);
        Assert.Single(first.SigningKeys);
    }

    [Fact]
    public async Task A_rotated_secret_is_seen_at_once_with_the_previous_one_still_accepted()
    {
        var secrets = new CountingSecrets(Key);
        var source = new AccessTokenKeySource(new SigningKeyRing(secrets), new TokenOptions(), new ManualTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero)));
        var before = await source.GetConfigurationAsync(default);

        secrets.Rotate("key-source-tests-next-key-0123456789abcdef0123456");
        var after = await source.GetConfigurationAsync(default);

        Assert.NotSame(before, after);
        Assert.Equal(2, after.SigningKeys.Count);
        Assert.Equal(before.SigningKeys.Single().KeyId, after.SigningKeys.Last().KeyId);
    }

    [Fact]
    public async Task An_upgrade_link_names_its_user_until_it_expires_by_the_injected_clock_and_is_never_an_access_token()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2098, 7, 6, 5, 4, 3, TimeSpan.Zero)); // far from the machine's date
        var ring = new SigningKeyRing(new CountingSecrets(Key));
        using var links = new UpgradeLinkTokens(ring, new TokenOptions { LinkLifetimeSeconds = 1800 }, clock);
        using var access = new JwtAccessTokens(ring, new TokenOptions(), clock);
        var user = UserId.New();

        var link = await links.IssueAsync(TenantId.Parse("alpha"), user, default);
        var named = await links.ValidateAsync(link, default);
        var accessToken = (await access.IssueAsync(TenantId.Parse("alpha"), user, Role.User, default)).Value;
        var linkAsAccess = await access.ValidateAsync(link, default);
        var accessAsLink = await links.ValidateAsync(accessToken, default);
        clock.Advance(TimeSpan.FromMinutes(31));
        var expired = await links.ValidateAsync(link, default);

        Assert.Equal((user, "alpha"), (named!.UserId, named.TenantId.Value));
        Assert.Null(linkAsAccess);
        Assert.Null(accessAsLink);
        Assert.Null(expired);
        Assert.DoesNotContain(user.Value, link, StringComparison.Ordinal); // the id is inside the signed payload, base64url-encoded, not a query value
    }

    private sealed class CountingSecrets(string key) : ISecretProvider
    {
        private string _current = key;
        private string? _previous;

        public int Invalidations { get; private set; }

        public void Rotate(string next)
        {
            _previous = _current;
            _current = next;
        }

        public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(name == SecretNames.JwtSigningKey ? _current : throw new SecretNotFoundException(name));

        public ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromResult(name == SecretNames.JwtSigningKey ? _current : name == SecretNames.JwtSigningKeyPrevious ? _previous : null);

        public void Invalidate(string name)
        {
            if (name == SecretNames.JwtSigningKey)
            {
                Invalidations++;
            }
        }
    }
}
