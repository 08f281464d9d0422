namespace Shared.Infrastructure.Hosting;

/// <summary>What preparing the store found: nothing (it can serve) or the problems that keep it from serving.</summary>
public sealed record StoreCheck(IReadOnlyList<string> Problems)
{
    public static StoreCheck Ready { get; } = new([]);

    public bool IsReady => Problems.Count == 0;
}
