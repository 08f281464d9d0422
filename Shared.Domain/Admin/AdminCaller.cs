using Shared.Domain.Common;

namespace Shared.Domain.Admin;

/// <summary>Who performs an admin action, and from where (for the audit log): the caller's token, the request's address and correlation id.</summary>
public sealed record AdminCaller(TenantId TenantId, UserId ActorId, string? Address, string? CorrelationId);
