using Shared.Domain.Common;

namespace Shared.Domain.Users;

/// <summary>Which user an installation belongs to; <see cref="CreatedNow"/> when this call made the link.</summary>
public sealed record InstallationLink(UserId UserId, bool CreatedNow);
