using System.Globalization;
using Shared.Domain.Audit;
using Shared.Domain.Billing;
using Shared.Domain.Common;

namespace Shared.Domain.Privacy;

/// <summary>
/// GDPR article 17: erases the caller's personal data in every feature (the <see cref="IPersonalDataStore"/> loop; each
/// store keeps what the law requires, de-identified, and says so), deletes the payment provider's customer, and leaves
/// a tombstone so nothing recreates data under the erased id. Order matters:
/// <list type="number">
/// <item>The payment customer is deleted first: if the provider is unreachable nothing else has happened and the
/// caller can retry (the customer id would be gone after step 3).</item>
/// <item>The tombstone is written before anything is erased: from then on tokens of the user are refused and identify
/// refuses to write under the id, so a request racing the erasure either finished its writes before the tombstone
/// (step 3 erases them) or sees the tombstone and erases its own writes (<see cref="EraseUserData"/>).</item>
/// <item>Every feature erases; in-memory caches forget the user.</item>
/// <item>The erasure is audited with the actor pseudonymised (<see cref="ErasedUserKey"/>).</item>
/// </list>
/// A repeat finds nothing left: 0 records, no audit entry, no provider call.
/// </summary>
public sealed class EraseUser(
    EraseUserData data,
    IErasureRegistry erasures,
    IBillingStore billing,
    IPaymentGateway payments,
    IReauthentication reauthentication,
    IAuditLog audit,
    TimeProvider time)
{
    public async Task<Result<ErasureOutcome>> HandleAsync(PrivacyRequest request, ReauthenticationProof proof, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(proof);
        if (proof.TenantId != request.TenantId || proof.UserId != request.UserId)
        {
            throw new ArgumentException("The re-authentication proof is for another user.", nameof(proof));
        }

        if (await reauthentication.VerifyAsync(proof, cancellationToken) is { } refused)
        {
            return refused;
        }

        var (tenant, user) = (request.TenantId, request.UserId);
        var customerDeleted = false;
        if (await billing.FindCustomerAsync(tenant, user, cancellationToken) is { } customerId)
        {
            var deleted = await payments.DeleteCustomerAsync(tenant, customerId, cancellationToken);
            if (!deleted.IsSuccess)
            {
                return deleted.Error!;
            }

            customerDeleted = true;
        }

        var now = time.GetUtcNow();
        var first = await erasures.TryRecordAsync(tenant, user, now, cancellationToken);
        var erased = await data.HandleAsync(tenant, user, cancellationToken);
        if (first || erased > 0)
        {
            var pseudonym = ErasedUserKey.Of(tenant, user);
            await audit.AppendAsync(
                new AuditEntry(tenant, AuditActions.Erasure, pseudonym, pseudonym, now, AuditAddress.Generalise(request.Address), request.CorrelationId, new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["records"] = erased.ToString(CultureInfo.InvariantCulture),
                    ["payment_customer_deleted"] = customerDeleted ? "true" : "false",
                }),
                cancellationToken);
        }

        return new ErasureOutcome(first, erased, customerDeleted);
    }
}
