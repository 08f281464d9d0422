using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Infrastructure.Identity;

/// <summary>A caller as a validated token names it: every claim well-formed; <see cref="Roles"/> empty for link tokens.</summary>
public sealed record TokenCaller(TenantId TenantId, UserId UserId, IReadOnlyList<Role> Roles);
