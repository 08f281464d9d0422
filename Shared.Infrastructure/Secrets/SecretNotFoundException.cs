namespace Shared.Infrastructure.Secrets;

public sealed class SecretNotFoundException(string name) : Exception($"Secret '{name}' is not configured.")
{
    public string Name { get; } = name;
}
