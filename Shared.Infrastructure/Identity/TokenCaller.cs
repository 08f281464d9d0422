using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Infrastructure.Identity;

/// <summary>A caller as a validated token names it: every claim well-formed.</summary>
public sealed record TokenCaller(TenantId TenantId, UserId UserId, Role? Role);
