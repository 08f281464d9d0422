using Shared.Domain.Common;

namespace Shared.Domain.Audit;

/// <summary>
/// One line of a tenant's audit log: an admin action or a security event. Appended, never updated or deleted by the API.
/// <see cref="ActorId"/> and <see cref="TargetId"/> are user ids (or null for an anonymous caller / no target user);
/// when a user is erased they are replaced by a pseudonym, so the entry survives its actor's erasure.
/// <see cref="Details"/> carries only non-personal facts (a role name, an amount, a reason code), never an email,
/// phone number, password or token.
/// </summary>
public sealed record AuditEntry(
    TenantId TenantId,
    string Action,
    string? ActorId,
    string? TargetId,
    DateTimeOffset At,
    string? Address,
    string? CorrelationId,
    IReadOnlyDictionary<string, string>? Details = null);
