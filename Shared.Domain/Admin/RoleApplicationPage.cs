namespace Shared.Domain.Admin;

public sealed record RoleApplicationPage(IReadOnlyList<RoleApplication> Items, string? Continuation);
