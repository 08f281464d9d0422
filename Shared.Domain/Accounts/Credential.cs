using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Accounts;

/// <summary>A password sign-in of one user of a tenant, found by its email (unique per tenant in its canonical form).</summary>
public sealed record Credential(TenantId TenantId, EmailAddress Email, UserId UserId, string PasswordHash, bool EmailVerified, DateTimeOffset CreatedAt);
