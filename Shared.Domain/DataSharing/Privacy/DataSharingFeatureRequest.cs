namespace Shared.Domain.DataSharing.Privacy;

/// <summary>An opted-in user's feature request as the release sees it: the category only, never the text.</summary>
public sealed record DataSharingFeatureRequest(Common.UserId UserId, FeatureCategory Category, DateTimeOffset At);
