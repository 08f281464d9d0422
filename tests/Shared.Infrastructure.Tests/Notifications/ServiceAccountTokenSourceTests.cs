using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Shared.Infrastructure.Notifications;
using Shared.Infrastructure.Secrets;
using Xunit;

namespace Shared.Infrastructure.Tests.Notifications;

/// <summary>Google's service-account JWT bearer grant against a local server standing in for oauth2.googleapis.com/token.</summary>
public sealed class ServiceAccountTokenSourceTests : IAsyncLifetime, IDisposable
{
    private readonly RSA _key = RSA.Create(2048);
    private readonly RecordingFakeTime _clock = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private RecordingServer _server = null!;

    public async Task InitializeAsync() => _server = await RecordingServer.StartAsync(defaultStatus: 200);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _key.Dispose();

    private ServiceAccountTokenSource Source()
    {
        var keyFile = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "doffers-demo",
            ["private_key_id"] = "key-1",
            ["private_key"] = _key.ExportPkcs8PrivateKeyPem(),
            ["client_email"] = "fcm-sender@doffers-demo.iam.gserviceaccount.com",
            ["token_uri"] = new Uri(_server.BaseAddress, "token").ToString(),
        });
        var secrets = new ConfigurationSecretProvider(new ConfigurationBuilder().AddInMemoryCollection([KeyValuePair.Create("Secrets:fcm_service_account", (string?)keyFile)]).Build());
        return new ServiceAccountTokenSource(new HttpClient(), secrets, _clock);
    }

    [Fact]
    public async Task The_grant_is_a_jwt_signed_with_the_service_account_key_for_the_fcm_scope()
    {
        _server.Script.Enqueue((200, """{"access_token":"ya29.first","expires_in":3599,"token_type":"Bearer"}""", null));
        using var source = Source();

        Assert.Equal("ya29.first", await source.GetTokenAsync(default));

        var request = Assert.Single(_server.Requests);
        Assert.Equal(("POST", "/token"), (request.Method, request.Path));
        var form = System.Web.HttpUtility.ParseQueryString(request.Body);
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
        var parts = form["assertion"]!.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), "the signature verifies with the key's public half");
        var header = JsonNode.Parse(FromBase64Url(parts[0]))!;
        Assert.Equal(("RS256", "JWT", "key-1"), ((string)header["alg"]!, (string)header["typ"]!, (string)header["kid"]!));
        var claims = JsonNode.Parse(FromBase64Url(parts[1]))!;
        Assert.Equal("fcm-sender@doffers-demo.iam.gserviceaccount.com", (string)claims["iss"]!);
        Assert.Equal("https://www.googleapis.com/auth/firebase.messaging", (string)claims["scope"]!);
        Assert.Equal(new Uri(_server.BaseAddress, "token").ToString(), (string)claims["aud"]!);
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds(), (long)claims["iat"]!);
        Assert.Equal(3600, (long)claims["exp"]! - (long)claims["iat"]!);
    }

    [Fact]
    public async Task The_token_is_reused_until_five_minutes_before_it_expires_and_renewed_after_invalidation()
    {
        _server.Script.Enqueue((200, """{"access_token":"ya29.first","expires_in":3600}""", null));
        _server.Script.Enqueue((200, """{"access_token":"ya29.second","expires_in":3600}""", null));
        _server.Script.Enqueue((200, """{"access_token":"ya29.third","expires_in":3600}""", null));
        using var source = Source();

        Assert.Equal("ya29.first", await source.GetTokenAsync(default));
        _clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal("ya29.first", await source.GetTokenAsync(default));
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("ya29.second", await source.GetTokenAsync(default));
        source.Invalidate();
        Assert.Equal("ya29.third", await source.GetTokenAsync(default));
        Assert.Equal(3, _server.Requests.Count);
    }

    [Fact]
    public async Task A_refused_grant_is_an_error_that_does_not_echo_the_answer()
    {
        _server.Script.Enqueue((400, """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}""", null));
        using var source = Source();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => source.GetTokenAsync(default).AsTask());

        Assert.Contains("400", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid_grant", error.Message, StringComparison.Ordinal);
    }

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
