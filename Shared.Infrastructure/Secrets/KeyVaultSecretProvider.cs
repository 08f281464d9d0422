using System.Collections.Concurrent;
using Azure;
using Azure.Identity;
using Azure.Security.KeyVault.Secrets;

namespace Shared.Infrastructure.Secrets;

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
