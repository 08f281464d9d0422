using Shared.Domain.Messaging;

namespace Functions.Api.Accounts;

/// <summary>GET /api/dev/outbox: the latest messages kept for one recipient, newest first.</summary>
public sealed record OutboxResponse(IReadOnlyList<OutboxItemResponse> Items)
{
    public static OutboxResponse From(IEnumerable<OutboxItem> items) => new([.. items.Select(i => new OutboxItemResponse(i.To, i.Subject, i.Body, i.Code, i.SentAt))]);
}
