using Shared.Domain.Common;

namespace Shared.Domain.Privacy;

/// <summary>
/// Re-authentication by a fresh access token: issued at most <see cref="MaxTokenAge"/> ago by the injected clock. A
/// token stolen from a log or a cache is usually older; a user who just signed in (or identified) has a fresh one.
/// A password in the proof is not checked here (this port has no access to credentials): the accounts feature
/// decorates this rule with its password check for accounts that have one.
/// </summary>
public sealed class FreshTokenReauthentication(TimeProvider time) : IReauthentication
{
    public static readonly TimeSpan MaxTokenAge = TimeSpan.FromMinutes(5);

    /// <summary>Tolerated clock skew for a token that claims to be issued slightly in the future.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    public Task<Error?> VerifyAsync(ReauthenticationProof proof, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proof);
        var now = time.GetUtcNow();
        if (proof.TokenIssuedAt is not { } issued || now - issued > MaxTokenAge || issued - now > Skew)
        {
            return Task.FromResult<Error?>(new Error(ErrorKind.Unauthorized, "reauthentication_required", $"This action needs an access token issued within the last {MaxTokenAge.TotalMinutes:0} minutes: sign in again, then retry."));
        }

        return Task.FromResult<Error?>(null);
    }
}
