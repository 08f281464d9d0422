using Shared.Domain.Notifications;

namespace Functions.Api.Notifications;

/// <summary>One notification of the caller's inbox.</summary>
public sealed record NotificationResponse(string Id, string CampaignId, string OfferId, string Text, bool Read, DateTimeOffset CreatedAt)
{
    public static NotificationResponse From(InboxNotification n) => new(n.Id, n.CampaignId, n.OfferId, n.Text, n.Read, n.CreatedAt);
}
