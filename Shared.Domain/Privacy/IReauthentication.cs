namespace Shared.Domain.Privacy;

/// <summary>
/// Checks a <see cref="ReauthenticationProof"/> before an irreversible action. The rule shipped here is
/// <see cref="FreshTokenReauthentication"/>; accounts with a password add the password check by decorating it
/// (the accounts feature owns passwords).
/// </summary>
public interface IReauthentication
{
    /// <summary>Null when the proof is enough; otherwise the error to answer (401 <c>reauthentication_required</c>).</summary>
    Task<Common.Error?> VerifyAsync(ReauthenticationProof proof, CancellationToken cancellationToken);
}
