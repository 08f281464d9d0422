namespace Functions.Api.Notifications;

/// <summary>One page of the caller's inbox, newest first; <see cref="Continuation"/> fetches the next (null at the end).</summary>
public sealed record NotificationListResponse(IReadOnlyList<NotificationResponse> Items, string? Continuation);
