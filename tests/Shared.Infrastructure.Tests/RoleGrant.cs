namespace Shared.Infrastructure.Tests;

/// <summary>A role assignment as the infra tests compare them: principal, role definition id, scope's resource type.</summary>
public sealed record RoleGrant(string Principal, string RoleId, string ScopeType, string? PrincipalType);
