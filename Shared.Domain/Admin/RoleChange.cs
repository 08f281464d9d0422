using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Admin;

/// <summary>The user's effective roles after a grant or revocation; <see cref="Changed"/> false when it was a repeat.</summary>
public sealed record RoleChange(UserId UserId, IReadOnlySet<Role> Roles, bool Changed);
