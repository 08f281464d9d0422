namespace Functions.Api.Admin;

/// <summary>One page of users ordered by id; pass <see cref="Continuation"/> back for the next (null at the end).</summary>
public sealed record AdminUserListResponse(IReadOnlyList<AdminUserListItem> Items, string? Continuation);
