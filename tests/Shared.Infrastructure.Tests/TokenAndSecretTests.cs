using Azure;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;
using Moq;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Identity;
using Shared.Infrastructure.Secrets;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests;

public class TokenAndSecretTests
{
    private const string Key = "a-test-signing-key-that-is-long-enough-0123456789";
    private static readonly TenantId Tenant = TenantId.Parse("alpha");
    private static readonly UserId User = UserId.Parse("01a200ec-790f-7686-a2c9-be91690ee801");

    private static ConfigurationSecretProvider Secrets(params (string Key, string Value)[] values) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build());

    private static (JwtAccessTokens Tokens, ManualTimeProvider Clock) Tokens(ISecretProvider secrets)
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));
        return (new JwtAccessTokens(secrets, new TokenOptions { LifetimeSeconds = 900 }, clock), clock);
    }

    [Fact]
    public async Task An_issued_token_validates_and_carries_tenant_user_and_role()
    {
        var (tokens, _) = Tokens(Secrets(("Secrets:jwt_signing_key", Key)));

        var token = await tokens.IssueAsync(Tenant, User, Role.User, default);
        var identity = await tokens.ValidateAsync(token.Value, default);

        Assert.Equal(900, token.ExpiresInSeconds);
        Assert.NotNull(identity);
        Assert.Equal(User.Value, identity.FindFirst(TokenClaims.Subject)!.Value);
        Assert.Equal("alpha", identity.FindFirst(TokenClaims.Tenant)!.Value);
        Assert.Equal("user", identity.FindFirst(TokenClaims.Role)!.Value);
    }

    [Fact]
    public async Task A_frequent_caller_gets_the_same_token_with_a_shrinking_lifetime_until_it_is_renewed()
    {
        var (tokens, clock) = Tokens(Secrets(("Secrets:jwt_signing_key", Key)));

        var first = await tokens.IssueAsync(Tenant, User, Role.User, default);
        clock.Advance(TimeSpan.FromSeconds(100));
        var reused = await tokens.IssueAsync(Tenant, User, Role.User, default);
        clock.Advance(TimeSpan.FromSeconds(500));
        var renewed = await tokens.IssueAsync(Tenant, User, Role.User, default);
        var otherUser = await tokens.IssueAsync(Tenant, UserId.New(), Role.User, default);

        Assert.Equal(first.Value, reused.Value);
        Assert.Equal(800, reused.ExpiresInSeconds);
        Assert.NotEqual(first.Value, renewed.Value);
        Assert.Equal(900, renewed.ExpiresInSeconds);
        Assert.NotEqual(renewed.Value, otherUser.Value);
        Assert.NotNull(await tokens.ValidateAsync(renewed.Value, default));
    }

    [Fact]
    public async Task A_token_is_refused_once_expired()
    {
        var (tokens, clock) = Tokens(Secrets(("Secrets:jwt_signing_key", Key)));
        var token = await tokens.IssueAsync(Tenant, User, Role.User, default);

        clock.Advance(TimeSpan.FromSeconds(900 + 31));

        Assert.Null(await tokens.ValidateAsync(token.Value, default));
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_refused()
    {
        var (issuer, _) = Tokens(Secrets(("Secrets:jwt_signing_key", "another-signing-key-also-long-enough-0123456789")));
        var (validator, _) = Tokens(Secrets(("Secrets:jwt_signing_key", Key)));

        var token = await issuer.IssueAsync(Tenant, User, Role.User, default);

        Assert.Null(await validator.ValidateAsync(token.Value, default));
    }

    [Fact]
    public async Task A_tampered_token_is_refused()
    {
        var (tokens, _) = Tokens(Secrets(("Secrets:jwt_signing_key", Key)));
        var token = (await tokens.IssueAsync(Tenant, User, Role.User, default)).Value;
        var parts = token.Split('.');
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(parts[1].Replace('-', '+').Replace('_', '/') + new string('=', (4 - (parts[1].Length % 4)) % 4)));
        var forged = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload.Replace("\"user\"", "\"admin\"", StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Null(await tokens.ValidateAsync($"{parts[0]}.{forged}.{parts[2]}", default));
        Assert.Null(await tokens.ValidateAsync("not-a-jwt", default));
        Assert.Null(await tokens.ValidateAsync($"{parts[0]}.{parts[1]}.", default));
    }

    [Fact]
    public async Task Tokens_signed_with_the_previous_key_still_validate_during_rotation()
    {
        var (oldIssuer, _) = Tokens(Secrets(("Secrets:jwt_signing_key", Key)));
        var token = await oldIssuer.IssueAsync(Tenant, User, Role.User, default);
        var (rotated, _) = Tokens(Secrets(("Secrets:jwt_signing_key", "the-new-signing-key-after-rotation-0123456789"), ("Secrets:jwt_signing_key_previous", Key)));

        Assert.NotNull(await rotated.ValidateAsync(token.Value, default));
    }

    [Fact]
    public async Task A_short_signing_key_is_refused()
    {
        var (tokens, _) = Tokens(Secrets(("Secrets:jwt_signing_key", "short")));

        await Assert.ThrowsAsync<InvalidOperationException>(() => tokens.IssueAsync(Tenant, User, Role.User, default));
    }

    [Fact]
    public async Task A_missing_secret_is_reported_by_name()
    {
        var secrets = Secrets();

        var error = await Assert.ThrowsAsync<SecretNotFoundException>(async () => await secrets.GetAsync(SecretNames.JwtSigningKey, default));
        Assert.Equal(SecretNames.JwtSigningKey, error.Name);
        Assert.Null(await secrets.FindAsync(SecretNames.JwtSigningKeyPrevious, default));
    }

    [Fact]
    public async Task Key_vault_values_are_cached_until_invalidated()
    {
        var client = new Mock<SecretClient>();
        var values = new Queue<string>(["v1", "v2"]);
        client.Setup(c => c.GetSecretAsync("jwt-signing-key", null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Response.FromValue(new KeyVaultSecret("jwt-signing-key", values.Dequeue()), Mock.Of<Response>()));
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var provider = new KeyVaultSecretProvider(client.Object, clock, TimeSpan.FromMinutes(10));

        var first = await provider.GetAsync("jwt-signing-key", default);
        var cached = await provider.GetAsync("jwt-signing-key", default);
        provider.Invalidate("jwt-signing-key");
        var reread = await provider.GetAsync("jwt-signing-key", default);

        Assert.Equal(("v1", "v1", "v2"), (first, cached, reread));
        client.Verify(c => c.GetSecretAsync("jwt-signing-key", null, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task Key_vault_values_expire_after_their_lifetime()
    {
        var client = new Mock<SecretClient>();
        client.Setup(c => c.GetSecretAsync("k", null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => Response.FromValue(new KeyVaultSecret("k", "value"), Mock.Of<Response>()));
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch);
        var provider = new KeyVaultSecretProvider(client.Object, clock, TimeSpan.FromMinutes(10));

        await provider.GetAsync("k", default);
        clock.Advance(TimeSpan.FromMinutes(11));
        await provider.GetAsync("k", default);

        client.Verify(c => c.GetSecretAsync("k", null, It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task A_secret_missing_from_key_vault_is_absent_not_an_error_for_optional_reads()
    {
        var client = new Mock<SecretClient>();
        client.Setup(c => c.GetSecretAsync("jwt-signing-key-previous", null, It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "SecretNotFound"));
        var provider = new KeyVaultSecretProvider(client.Object, new ManualTimeProvider(DateTimeOffset.UnixEpoch), TimeSpan.FromMinutes(10));

        Assert.Null(await provider.FindAsync("jwt-signing-key-previous", default));
        await Assert.ThrowsAsync<SecretNotFoundException>(async () => await provider.GetAsync("jwt-signing-key-previous", default));
    }

    [Fact]
    public async Task Key_vault_failures_other_than_not_found_propagate()
    {
        var client = new Mock<SecretClient>();
        client.Setup(c => c.GetSecretAsync("k", null, It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(403, "Forbidden"));
        var provider = new KeyVaultSecretProvider(client.Object, new ManualTimeProvider(DateTimeOffset.UnixEpoch), TimeSpan.FromMinutes(10));

        var error = await Assert.ThrowsAsync<RequestFailedException>(async () => await provider.GetAsync("k", default));
        Assert.Equal(403, error.Status);
    }
}
