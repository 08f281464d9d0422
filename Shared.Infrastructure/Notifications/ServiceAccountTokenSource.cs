using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// Google's OAuth 2.0 service-account flow without Google's libraries (RFC 7523 JWT bearer grant, as Google documents
/// for server-to-server apps): a JWT {iss: client_email, scope, aud: token_uri, iat, exp: iat + 1 h} signed RS256 with
/// the key file's private key is posted to its token_uri as grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer;
/// the answer's access_token is cached until five minutes before expires_in runs out (on the injected clock). The key
/// file (the JSON Google issues for the service account) is the secret <see cref="FcmOptions.ServiceAccountSecret"/>.
/// </summary>
public sealed class ServiceAccountTokenSource(HttpClient http, ISecretProvider secrets, TimeProvider time) : IGoogleAccessTokenSource, IDisposable
{
    public const string HttpClientName = "google-oauth";
    public const string FirebaseMessagingScope = "https://www.googleapis.com/auth/firebase.messaging";
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions KeyJson = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private volatile CachedToken? _cached; // a reference, so concurrent senders never see a torn token/expiry pair

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && time.GetUtcNow() < fresh.RefreshAt)
        {
            return fresh.Token;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } raced && time.GetUtcNow() < raced.RefreshAt)
            {
                return raced.Token;
            }

            var key = JsonSerializer.Deserialize<ServiceAccountKey>(await secrets.GetAsync(FcmOptions.ServiceAccountSecret, cancellationToken), KeyJson)
                ?? throw new InvalidOperationException("The FCM service-account key is empty.");
            if (key.ClientEmail is not { Length: > 0 } || key.PrivateKey is not { Length: > 0 })
            {
                throw new InvalidOperationException("The FCM service-account key has no client_email or private_key.");
            }

            var tokenUri = new Uri(key.TokenUri is { Length: > 0 } uri ? uri : "https://oauth2.googleapis.com/token");
            var now = time.GetUtcNow();
            using var response = await http.PostAsync(
                tokenUri,
                new FormUrlEncodedContent([
                    KeyValuePair.Create("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                    KeyValuePair.Create("assertion", Assertion(key, tokenUri, now))]),
                cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // The body may name the key; only the status is kept.
                throw new HttpRequestException($"Google's token endpoint answered {(int)response.StatusCode}.", null, response.StatusCode);
            }

            var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>(KeyJson, cancellationToken);
            if (answer?.AccessToken is not { Length: > 0 } token)
            {
                throw new InvalidOperationException("Google's token endpoint answered without an access_token.");
            }

            var lifetime = TimeSpan.FromSeconds(Math.Max(0, answer.ExpiresIn));
            _cached = new CachedToken(token, now + (lifetime > RefreshMargin ? lifetime - RefreshMargin : TimeSpan.Zero));
            return token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Invalidate()
    {
        _cached = null;
        secrets.Invalidate(FcmOptions.ServiceAccountSecret);
    }

    public void Dispose() => _refresh.Dispose();

    /// <summary>The signed JWT of the grant (RS256, the key's id in the header as Google's libraries send it).</summary>
    internal static string Assertion(ServiceAccountKey key, Uri tokenUri, DateTimeOffset now)
    {
        var header = new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" };
        if (key.PrivateKeyId is { Length: > 0 } kid)
        {
            header["kid"] = kid;
        }

        var claims = new Dictionary<string, object>
        {
            ["iss"] = key.ClientEmail!,
            ["scope"] = FirebaseMessagingScope,
            ["aud"] = tokenUri.ToString(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        };
        var signed = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(key.PrivateKey);
        return signed + "." + Base64Url(rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The fields of Google's service-account key file that the grant needs.</summary>
    internal sealed class ServiceAccountKey
    {
        public string? ClientEmail { get; set; }

        public string? PrivateKey { get; set; }

        public string? PrivateKeyId { get; set; }

        public string? TokenUri { get; set; }
    }

    private sealed record CachedToken(string Token, DateTimeOffset RefreshAt);

    private sealed class TokenAnswer
    {
        public string? AccessToken { get; set; }

        public long ExpiresIn { get; set; }
    }
}
