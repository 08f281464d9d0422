using Shared.Domain.Common;
using Shared.Domain.Notifications;

namespace Shared.Domain.Campaigns;

/// <summary>A snapshotted recipient of a campaign: the customer and the channels it is to receive the message on.</summary>
public sealed record CampaignRecipient(UserId UserId, IReadOnlyList<NotificationChannel> Channels);
