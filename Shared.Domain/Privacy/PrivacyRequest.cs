using Shared.Domain.Common;

namespace Shared.Domain.Privacy;

/// <summary>Who asks for an export or an erasure, and from where (for the audit entry): always the user themself.</summary>
public sealed record PrivacyRequest(TenantId TenantId, UserId UserId, string? Address, string? CorrelationId);
