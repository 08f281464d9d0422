using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Admin;

/// <summary>One user in an admin's search results.</summary>
public sealed record AdminUserSummary(UserId UserId, EmailAddress? VerifiedEmail, EmailAddress? ContactEmail, DateTimeOffset CreatedAt);
