namespace Shared.Infrastructure.Hosting;

/// <summary>Endpoint metadata: the endpoint serves without the store (health, liveness, API documents), so the readiness gate lets it through.</summary>
public sealed class StoreNotRequired
{
    public static StoreNotRequired Instance { get; } = new();

    private StoreNotRequired()
    {
    }
}
