using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Identity;
using Shared.Domain.Users;

namespace Shared.Domain.Accounts;

/// <summary>
/// Sign-in sessions: an access token (the same JWTs identify issues) plus a refresh token in a family. Every refresh
/// rotates (the old token is marked used, a new one issued); a used token presented again means it was copied, so its
/// whole family is revoked and the reuse audited. Logout revokes the family.
/// </summary>
public sealed class Sessions(IAccountStore store, UserRoles roles, IAccessTokenIssuer tokens, AccountAudit audit, ErasureRecheck erasures, AccountOptions options, TimeProvider time)
{
    public async Task<Session> StartAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var family = new RefreshFamily(tenantId, SecretCodes.NewFamilyId(), userId, now, null);
        await store.CreateRefreshFamilyAsync(family, cancellationToken);
        return await IssueAsync(family, cancellationToken);
    }

    public async Task<Result<Session>> RefreshAsync(TenantId tenantId, string? refreshToken, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (!SecretCodes.IsWellFormedRefreshToken(refreshToken))
        {
            return Invalid();
        }

        var now = time.GetUtcNow();
        var hash = SecretCodes.HashToken(refreshToken!);
        var token = await store.FindRefreshTokenAsync(tenantId, hash, cancellationToken);
        if (token is null)
        {
            return Invalid();
        }

        var family = await store.FindRefreshFamilyAsync(tenantId, token.FamilyId, cancellationToken);
        if (family is null || family.RevokedAt is not null || token.ExpiresAt <= now)
        {
            return Invalid();
        }

        if (token.UsedAt is not null || !await store.TryUseRefreshTokenAsync(tenantId, hash, now, cancellationToken))
        {
            // Rotated before: whoever holds the newer token and whoever replays this one cannot be told apart, so
            // neither keeps the session.
            await store.RevokeRefreshFamilyAsync(tenantId, family.FamilyId, now, cancellationToken);
            await audit.RecordAsync(tenantId, AuditActions.RefreshReuse, token.UserId, origin, cancellationToken, new Dictionary<string, string> { ["family"] = family.FamilyId });
            await erasures.UndoIfErasedAsync(tenantId, token.UserId, cancellationToken);
            return Invalid();
        }

        var session = await IssueAsync(family, cancellationToken);
        if (await erasures.UndoIfErasedAsync(tenantId, family.UserId, cancellationToken))
        {
            return ErasureRecheck.Erased; // erased after the token was read: the rotated token is gone again, no session
        }

        return session;
    }

    /// <summary>Revokes the refresh token's family when it is the caller's; unknown or foreign tokens change nothing.</summary>
    public async Task<bool> LogoutAsync(TenantId tenantId, UserId caller, string? refreshToken, RequestOrigin origin, CancellationToken cancellationToken)
    {
        if (!SecretCodes.IsWellFormedRefreshToken(refreshToken))
        {
            return false;
        }

        var token = await store.FindRefreshTokenAsync(tenantId, SecretCodes.HashToken(refreshToken!), cancellationToken);
        if (token is null || token.UserId != caller)
        {
            return false;
        }

        await store.RevokeRefreshFamilyAsync(tenantId, token.FamilyId, time.GetUtcNow(), cancellationToken);
        await audit.RecordAsync(tenantId, AuditActions.Logout, caller, origin, cancellationToken);
        return true;
    }

    /// <summary>
    /// The roles a new access token carries: the user's effective roles (<see cref="UserRoles"/>: grants and the tenant's
    /// admin emails), but only <see cref="Role.User"/> while the user's password account has an unproven email. The one
    /// place roles are resolved for sign-ins.
    /// </summary>
    public async Task<IReadOnlySet<Role>> ResolveRolesAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var credential = await store.FindCredentialOfUserAsync(tenantId, userId, cancellationToken);
        if (credential is { EmailVerified: false })
        {
            return new HashSet<Role> { Role.User };
        }

        return await roles.EffectiveAsync(tenantId, userId, cancellationToken);
    }

    private async Task<Session> IssueAsync(RefreshFamily family, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var refresh = SecretCodes.NewRefreshToken();
        await store.CreateRefreshTokenAsync(new RefreshToken(family.TenantId, SecretCodes.HashToken(refresh), family.FamilyId, family.UserId, now, now + options.RefreshTokenLifetime, null), cancellationToken);
        var access = await tokens.IssueAsync(family.TenantId, family.UserId, [.. await ResolveRolesAsync(family.TenantId, family.UserId, cancellationToken)], cancellationToken);
        return new Session(access.Value, access.ExpiresInSeconds, refresh, family.UserId);
    }

    private static Error Invalid() => new(ErrorKind.Unauthorized, "invalid_refresh_token", "The refresh token is unknown, expired, revoked or already used; sign in again.");
}
