namespace Shared.Domain.Notifications;

/// <summary>
/// One message in a customer's in-app inbox. <see cref="Id"/> is derived from the campaign message's id, so a redelivered
/// message finds the notification it already stored instead of adding a second one.
/// </summary>
public sealed record InboxNotification(string Id, string CampaignId, string OfferId, string Text, bool Read, DateTimeOffset CreatedAt);
