namespace Shared.Domain.Notifications;

/// <summary>One page of an inbox, newest first; <see cref="Cursor"/> (the store's own text, null at the end) fetches the next.</summary>
public sealed record InboxPage(IReadOnlyList<InboxNotification> Items, string? Cursor);
