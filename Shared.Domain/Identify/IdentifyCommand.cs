using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Identify;

/// <summary>
/// One identify call. <paramref name="Email"/> is the caller's unverified hint (kept as a new user's contact only);
/// <paramref name="IdToken"/> is the proof that can link installations (an OpenID Connect ID token);
/// <paramref name="RequestKey"/> is the client's request_id, bound to the identify kind and the user once the user is known.
/// </summary>
public sealed record IdentifyCommand(Tenant Tenant, ExtensionId ExtensionId, EmailAddress? Email, string ActionType, ClientRequestId? RequestKey, string? ClientAddress, string? IdToken = null);
