using Shared.Domain.Common;

namespace Shared.Domain.Marketplace;

/// <summary>
/// One checkout of a paid item, under our own purchase id (in the session's and the charge's metadata). It records what
/// the webhooks have seen, whatever their order: <see cref="CompletedAt"/> once the paid checkout.session.completed
/// arrived, <see cref="RefundedCents"/> the highest cumulative refunded amount a charge.refunded reported (even before
/// the completion), and <see cref="RefundedAt"/> once that reached the price (the later completion then sees it and
/// entitles no one; a partial refund leaves the item paid for).
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
    DateTimeOffset? RefundedAt,
    long RefundedCents = 0)
{
    /// <summary>Refunded in full: the item is no longer paid for.</summary>
    public bool IsFullyRefunded => RefundedCents >= Price.MinorUnits;

    /// <summary>Paid and not refunded in full: it can entitle its buyer.</summary>
    public bool IsPaidFor => CompletedAt is not null && !IsFullyRefunded;
}
