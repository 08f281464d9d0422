using Shared.Domain.Common;
using Shared.Domain.Privacy;

namespace Shared.Domain.Accounts;

/// <summary>
/// The accounts side of the race identify closes too (see IdentifyHandler): a sign-in or sign-up reads an account, an
/// erasure of that account runs, then the request writes (a session, a phone claim, a code, an audit entry) under the
/// erased id. An erasure records its tombstone before it erases, so a request that looks for the tombstone after its
/// last write either sees it (and then removes what it wrote, here) or wrote everything before the tombstone (and the
/// erasure's own pass removed it). Either way nothing stays, and no token is handed out, under an erased id.
/// </summary>
public sealed class ErasureRecheck(IErasureRegistry erasures, EraseUserData eraseData)
{
    public static Error Erased => new(ErrorKind.Forbidden, "user_erased", "This account was erased at its owner's request; it cannot be used again.");

    /// <summary>Call after the request's last write: true when <paramref name="userId"/> was erased meanwhile, its data now erased again.</summary>
    public async Task<bool> UndoIfErasedAsync(TenantId tenantId, UserId? userId, CancellationToken cancellationToken)
    {
        if (userId is not { } id || !await erasures.IsErasedAsync(tenantId, id, cancellationToken))
        {
            return false;
        }

        await eraseData.HandleAsync(tenantId, id, cancellationToken);
        return true;
    }
}
