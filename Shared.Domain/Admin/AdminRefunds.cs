using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Shared.Domain.Audit;
using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Shared.Domain.Admin;

/// <summary>
/// Admin refunds through the payment gateway (Stripe, or the sandbox locally; the provider's <c>charge.refunded</c>
/// event then records the refund as a payment record through the webhook). Idempotent by the Idempotency-Key header:
/// the request is recorded under its key first; a repeat with the same body answers the same refund (the gateway call
/// is repeated with the same provider idempotency key when the first did not finish, so it never refunds twice); the
/// same key with another body is 409. Audited once the provider has answered, before the record is completed, so a
/// retry after a failed audit write audits again rather than never.
/// </summary>
public sealed class AdminRefunds(IAdminRefundStore refunds, IPaymentGateway gateway, IAuditLog audit, TimeProvider time)
{
    public const int MaxPaymentIdLength = 255;
    public const int MaxReasonLength = 500;

    public async Task<Result<AdminRefund>> RefundAsync(AdminCaller caller, RefundCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(command);
        if (string.IsNullOrEmpty(command.IdempotencyKey))
        {
            return new Error(ErrorKind.Validation, "idempotency_key_required", "Send an Idempotency-Key header: a refund must be safe to retry.");
        }

        if (!IdempotencyKey.TryCreate(command.IdempotencyKey, out var key, out var keyProblem))
        {
            return Error.Validation("Idempotency-Key", keyProblem);
        }

        var fields = new Dictionary<string, string[]>();
        if (command.PaymentId is not { Length: > 0 and <= MaxPaymentIdLength } paymentId || !paymentId.All(c => c is > ' ' and < (char)127))
        {
            fields["payment_id"] = [$"The payment's id (pi_…, ch_… or py_…): 1–{MaxPaymentIdLength} visible ASCII characters."];
        }

        if (command.AmountMinor is <= 0)
        {
            fields["amount_cents"] = ["A positive amount in minor units, or absent to refund what is left."];
        }

        var reason = command.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReasonLength)
        {
            fields["reason"] = [$"Say why, in 1–{MaxReasonLength} characters."];
        }

        if (fields.Count > 0)
        {
            return Error.Validation(fields);
        }

        var fingerprint = Fingerprint(command.PaymentId!, command.AmountMinor, reason!);
        var recorded = await refunds.GetOrAddAsync(new AdminRefund(caller.TenantId, key.Value, fingerprint, command.PaymentId!, command.AmountMinor, reason!, time.GetUtcNow()), cancellationToken);
        if (recorded.Fingerprint != fingerprint)
        {
            return new Error(ErrorKind.Conflict, "idempotency_key_reused", "This Idempotency-Key was used for a different refund request.");
        }

        if (recorded.RefundId is not null)
        {
            return recorded;
        }

        // The provider's own idempotency key is derived from ours, so a repeated call returns the first refund.
        var refund = await gateway.RefundAsync(new RefundRequest(caller.TenantId, recorded.PaymentId, recorded.AmountMinor, $"admin-refund:{caller.TenantId.Value}:{key.Value}"), cancellationToken);
        if (!refund.IsSuccess)
        {
            return refund.Error!;
        }

        // The reason stays in the refund record only: it is free text, and audit details carry no personal data.
        var details = new Dictionary<string, string> { ["payment_id"] = recorded.PaymentId, ["refund_id"] = refund.Value };
        if (recorded.AmountMinor is { } amount)
        {
            details["amount_cents"] = amount.ToString(CultureInfo.InvariantCulture);
        }

        await audit.AppendAsync(new AuditEntry(caller.TenantId, AuditActions.Refund, caller.ActorId.Value, null, time.GetUtcNow(), caller.Address, caller.CorrelationId, details), cancellationToken);
        await refunds.CompleteAsync(caller.TenantId, key.Value, refund.Value, cancellationToken);
        return recorded with { RefundId = refund.Value };
    }

    private static string Fingerprint(string paymentId, long? amount, string reason) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{paymentId}\n{amount?.ToString(CultureInfo.InvariantCulture) ?? "rest"}\n{reason}")));
}
