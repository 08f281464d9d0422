namespace Shared.Domain.Usage;

/// <summary>Accepts usage records without blocking the caller; they are written in batches.</summary>
public interface IUsageLog
{
    void Record(UsageRecord record);
}
