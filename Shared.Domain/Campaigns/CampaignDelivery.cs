using Shared.Domain.Common;
using Shared.Domain.Notifications;

namespace Shared.Domain.Campaigns;

/// <summary>The recorded outcome of one message; unique per campaign, recipient and channel.</summary>
public sealed record CampaignDelivery(UserId UserId, NotificationChannel Channel, DeliveryStatus Status);
