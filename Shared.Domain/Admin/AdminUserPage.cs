namespace Shared.Domain.Admin;

/// <summary>One page of users, ordered by user id, and the opaque token for the next page (null on the last one).</summary>
public sealed record AdminUserPage(IReadOnlyList<AdminUserSummary> Items, string? Continuation);
