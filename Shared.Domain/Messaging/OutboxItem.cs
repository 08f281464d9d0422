namespace Shared.Domain.Messaging;

/// <summary>A message the local outbox kept instead of sending (email or SMS; <see cref="Subject"/> is null for SMS).</summary>
public sealed record OutboxItem(string To, string? Subject, string Body, string? Code, DateTimeOffset SentAt);
