using Shared.Domain.Common;

namespace Shared.Domain.Billing;

/// <summary>
/// A one-time payment through Checkout (payment mode) for an amount computed here (a wallet top-up, a credit pack):
/// one line of <paramref name="Quantity"/> × <paramref name="UnitAmount"/> named <paramref name="ProductName"/>.
/// <paramref name="Metadata"/> goes on the session and on its payment (so the charge's own events name it too).
/// </summary>
public sealed record PaymentCheckoutRequest(
    TenantId TenantId,
    UserId UserId,
    string? CustomerId,
    Money UnitAmount,
    long Quantity,
    string ProductName,
    IReadOnlyDictionary<string, string> Metadata,
    string SuccessUrl,
    string CancelUrl,
    string IdempotencyKey)
{
    public Money Total => new(UnitAmount.MinorUnits * Quantity, UnitAmount.Currency);
}
