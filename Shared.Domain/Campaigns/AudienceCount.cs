using Shared.Domain.Notifications;

namespace Shared.Domain.Campaigns;

/// <summary>An audience counted: distinct customers, and per requested channel those consenting to it (one message each).</summary>
public sealed record AudienceCount(long Customers, IReadOnlyDictionary<NotificationChannel, long> PerChannel);
