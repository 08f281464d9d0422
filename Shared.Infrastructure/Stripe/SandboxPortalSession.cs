using Shared.Domain.Common;

namespace Shared.Infrastructure.Stripe;

public sealed record SandboxPortalSession(string Id, TenantId TenantId, string CustomerId, string ReturnUrl, DateTimeOffset ExpiresAt);
