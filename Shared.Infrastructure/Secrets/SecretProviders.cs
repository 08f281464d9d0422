using System.Collections.Concurrent;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;
using Microsoft.Extensions.Configuration;

namespace Shared.Infrastructure.Secrets;

/// <summary>Names of the secrets the apps read. Key Vault secret names allow letters, digits and dashes only.</summary>
public static class SecretNames
{
    public const string JwtSigningKey = "jwt-signing-key";
    public const string JwtSigningKeyPrevious = "jwt-signing-key-previous";

    /// <summary>The signing secret of the tenant's Stripe webhook endpoint (whsec_…).</summary>
    public static string StripeWebhookSecret(string tenantId) => $"stripe-webhook-secret-{tenantId}";

    /// <summary>The previous webhook secret, accepted too while an endpoint's secret is rolled.</summary>
    public static string StripeWebhookSecretPrevious(string tenantId) => $"stripe-webhook-secret-{tenantId}-previous";

    /// <summary>The API key of the OpenAI-compatible AI provider.</summary>
    public const string AiApiKey = "ai-api-key";

    /// <summary>The tenant's Stripe secret API key (sk_…).</summary>
    public static string StripeSecretKey(string tenantId) => $"stripe-secret-key-{tenantId}";
}

public sealed class SecretNotFoundException(string name) : Exception($"Secret '{name}' is not configured.")
{
    public string Name { get; } = name;
}

/// <summary>Where secrets come from: Key Vault in Azure, configuration/environment locally.</summary>
public interface ISecretProvider
{
    /// <summary>The secret's current value; throws <see cref="SecretNotFoundException"/> when it does not exist.</summary>
    ValueTask<string> GetAsync(string name, CancellationToken cancellationToken);

    /// <summary>The value, or null when the secret does not exist (for optional secrets such as a previous key).</summary>
    ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Forgets a cached value, e.g. after the consumer saw an authentication failure (the secret was rotated).</summary>
    void Invalidate(string name);
}

/// <summary>
/// Local secrets from configuration: <c>Secrets:&lt;name with '-' as '_'&gt;</c>, so that they can be set as environment
/// variables (<c>Secrets__jwt_signing_key</c>) or in local.settings.json.
/// </summary>
public sealed class ConfigurationSecretProvider(IConfiguration configuration) : ISecretProvider
{
    public ValueTask<string> GetAsync(string name, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Read(name) ?? throw new SecretNotFoundException(name));

    public ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken) => ValueTask.FromResult(Read(name));

    public void Invalidate(string name)
    {
        // Configuration is re-read on every call; nothing is cached here.
    }

    private string? Read(string name) => configuration[$"Secrets:{name.Replace('-', '_')}"] is { Length: > 0 } value ? value : null;
}

/// <summary>Key Vault through <see cref="SecretClient"/> and the app's managed identity; values cached for a while.</summary>
public sealed class KeyVaultSecretProvider : ISecretProvider
{
    private readonly SecretClient _client;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lifetime;
    private readonly ConcurrentDictionary<string, (string? Value, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public KeyVaultSecretProvider(Uri vaultUri, TimeProvider time, TimeSpan lifetime)
        : this(new SecretClient(vaultUri, new DefaultAzureCredential()), time, lifetime)
    {
    }

    public KeyVaultSecretProvider(SecretClient client, TimeProvider time, TimeSpan lifetime)
    {
        _client = client;
        _time = time;
        _lifetime = lifetime;
    }

    public async ValueTask<string> GetAsync(string name, CancellationToken cancellationToken) =>
        await FindAsync(name, cancellationToken) ?? throw new SecretNotFoundException(name);

    public async ValueTask<string?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(name, out var cached) && cached.Until > now)
        {
            return cached.Value;
        }

        string? value;
        try
        {
            value = (await _client.GetSecretAsync(name, null, cancellationToken)).Value.Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            value = null;
        }

        _cache[name] = (value, now + _lifetime);
        return value;
    }

    public void Invalidate(string name) => _cache.TryRemove(name, out _);
}
