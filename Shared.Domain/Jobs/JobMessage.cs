namespace Shared.Domain.Jobs;

/// <summary>A message to send: <see cref="MessageId"/> makes sending idempotent (duplicate detection).</summary>
public sealed record JobMessage(string MessageId, string Body, DateTimeOffset? NotBefore = null);
