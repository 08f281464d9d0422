using Shared.Domain.Tenants;

namespace Shared.Infrastructure.Tenants;

/// <summary>The tenants this instance was configured with (what it seeded into the store at startup).</summary>
public sealed record ConfiguredTenants(IReadOnlyList<Tenant> Tenants)
{
    /// <summary>Every origin any configured tenant allows: the most a CORS preflight (which names no tenant) can be allowed.</summary>
    public IReadOnlySet<string> AllOrigins { get; } = Tenants.SelectMany(t => t.AllowedOrigins).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
