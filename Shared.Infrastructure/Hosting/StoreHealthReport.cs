namespace Shared.Infrastructure.Hosting;

/// <summary>What a health check answers: 200, or 503 with a stable problem code, a detail and when to ask again.</summary>
public sealed record StoreHealthReport(int StatusCode, string? Code, string Detail, TimeSpan? RetryAfter)
{
    public const string NotReadyCode = "store_not_ready";
    public const string UnavailableCode = "store_unavailable";

    public bool IsHealthy => StatusCode == 200;
}
