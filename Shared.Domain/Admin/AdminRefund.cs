using Shared.Domain.Common;

namespace Shared.Domain.Admin;

/// <summary>
/// An admin refund as recorded under its idempotency key: what was asked (<see cref="Fingerprint"/> identifies the
/// request body, so the same key with another body is refused) and, once the provider answered, its refund id.
/// </summary>
public sealed record AdminRefund(
    TenantId TenantId,
    string IdempotencyKey,
    string Fingerprint,
    string PaymentId,
    long? AmountMinor,
    string Reason,
    DateTimeOffset CreatedAt,
    string? RefundId = null);
