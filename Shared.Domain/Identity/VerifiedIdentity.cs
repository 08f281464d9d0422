using Shared.Domain.Users;

namespace Shared.Domain.Identity;

/// <summary>An email proven by the tenant's identity provider: the ID token's issuer and subject, and its verified email.</summary>
public sealed record VerifiedIdentity(string Issuer, string Subject, EmailAddress Email);
