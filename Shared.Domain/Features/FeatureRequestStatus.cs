namespace Shared.Domain.Features;

public enum FeatureRequestStatus
{
    Pending,
    Processing,
    Completed,
    Failed,
}
