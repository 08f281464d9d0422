using Shared.Domain.Admin;

namespace Functions.Api.Admin;

public sealed record AdminUserListItem(string UserId, string? VerifiedEmail, string? ContactEmail, DateTimeOffset CreatedAt)
{
    public static AdminUserListItem From(AdminUserSummary user) => new(user.UserId.Value, user.VerifiedEmail?.Value, user.ContactEmail?.Value, user.CreatedAt);
}
