using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Identity;

/// <summary>
/// Checks an OpenID Connect ID token against the tenant's identity provider (signature by its published keys, issuer,
/// audience, lifetime by the app's clock, <c>email_verified</c>). Failures: 401 <c>invalid_id_token</c>; 400
/// <c>identity_provider_not_configured</c>; 503 <c>identity_provider_unavailable</c> when its keys cannot be fetched.
/// </summary>
public interface IIdTokenVerifier
{
    Task<Result<VerifiedIdentity>> VerifyAsync(Tenant tenant, string idToken, CancellationToken cancellationToken);
}
