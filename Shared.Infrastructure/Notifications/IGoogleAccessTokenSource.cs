namespace Shared.Infrastructure.Notifications;

/// <summary>
/// OAuth 2.0 access tokens for Google APIs with the FCM scope (https://www.googleapis.com/auth/firebase.messaging), as
/// FCM HTTP v1 requires: a port, so the credential (a service-account key today; workload identity federation later)
/// is chosen by configuration and tests can supply their own.
/// </summary>
public interface IGoogleAccessTokenSource
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);

    /// <summary>Forgets the cached token (FCM answered 401: it was revoked or the key rotated).</summary>
    void Invalidate();
}
