using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// One checkout of a paid item, under our own purchase id (in the session's and the charge's metadata). It records what
/// the webhooks have seen, whatever their order: <see cref="CompletedAt"/> once the paid checkout.session.completed
/// arrived, <see cref="RefundedAt"/> once a charge.refunded did, even before the completion (the later completion then
/// sees it and entitles no one).
/// </summary>
public sealed record Purchase(
    TenantId TenantId,
    string Id,
    string ItemId,
    UserId BuyerId,
    UserId CreatorId,
    Money Price,
    long CreatorShareCents,
    string? SessionId,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? RefundedAt);
