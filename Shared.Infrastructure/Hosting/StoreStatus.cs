namespace Shared.Infrastructure.Hosting;

/// <summary>The outcome of the latest store check, as health and the readiness gate report it.</summary>
public sealed record StoreStatus(StoreState State, IReadOnlyList<string> Problems, int Attempts, DateTimeOffset? CheckedAt, DateTimeOffset? NextCheckAt)
{
    public static StoreStatus Initial { get; } = new(StoreState.Checking, [], 0, null, null);

    public string Describe() => State switch
    {
        StoreState.Ready => "The store is ready.",
        StoreState.Checking => "The store has not been checked yet (the first check is running).",
        _ => $"The store is not ready: {string.Join("; ", Problems)}.",
    };
}
