namespace Shared.Infrastructure.Secrets;

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
