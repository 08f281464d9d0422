using Shared.Domain.Common;
using Shared.Domain.Privacy;

namespace Shared.Domain.Accounts;

/// <summary>
/// Re-authentication for accounts with a password: the fresh-token rule (<paramref name="inner"/>) and, when the user
/// has a password credential, that password typed again. A stolen access token alone, even a fresh one, cannot erase
/// an account that has a password. Users without one (extension or phone sign-ins) keep the fresh-token rule.
/// </summary>
public sealed class PasswordReauthentication(IReauthentication inner, IAccountStore store, IPasswordHasher hasher) : IReauthentication
{
    public async Task<Error?> VerifyAsync(ReauthenticationProof proof, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proof);
        if (await inner.VerifyAsync(proof, cancellationToken) is { } refused)
        {
            return refused;
        }

        var credential = await store.FindCredentialOfUserAsync(proof.TenantId, proof.UserId, cancellationToken);
        if (credential is null)
        {
            return null;
        }

        if (string.IsNullOrEmpty(proof.Password) || proof.Password.Length > PasswordPolicy.MaxLength || hasher.Verify(proof.Password, credential.PasswordHash) == PasswordCheck.Mismatch)
        {
            return new Error(ErrorKind.Unauthorized, "reauthentication_required", "This account has a password: send it again as {\"password\": …} with a recently issued access token.");
        }

        return null;
    }
}
