using Shared.Domain.Admin;
using Shared.Domain.Users;

namespace Functions.Api.Admin;

public sealed record RoleApplicationResponse(string Id, string UserId, string Role, string? Note, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? Reason)
{
    public static RoleApplicationResponse From(RoleApplication a) =>
        new(a.Id, a.UserId.Value, a.Role.ToClaim(), a.Note, RoleApplications.Format(a.Status), a.CreatedAt, a.DecidedAt, a.Reason);
}
