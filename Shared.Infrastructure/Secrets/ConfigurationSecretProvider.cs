using Microsoft.Extensions.Configuration;

namespace Shared.Infrastructure.Secrets;

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
