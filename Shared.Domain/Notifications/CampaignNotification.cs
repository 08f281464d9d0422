using Shared.Domain.Common;

namespace Shared.Domain.Notifications;

/// <summary>
/// One campaign message to one customer on one channel. <see cref="MessageId"/> is deterministic (campaign, recipient,
/// channel), so a redelivered batch produces the same id and an adapter can refuse to deliver it twice.
/// </summary>
public sealed record CampaignNotification(
    TenantId TenantId,
    UserId UserId,
    NotificationChannel Channel,
    string MessageId,
    string CampaignId,
    string OfferId,
    string Text);
