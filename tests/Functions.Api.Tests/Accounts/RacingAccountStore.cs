using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Functions.Api.Tests.Accounts;

/// <summary>
/// The real account store with a seam before its writes: armed with a method name, it runs the hook once just before
/// that write reaches the store (a test runs an erasure there, i.e. between the handler's reads and its writes).
/// </summary>
public sealed class RacingAccountStore(IAccountStore inner) : IAccountStore
{
    private string? _armed;
    private Func<Task>? _hook;

    public int Fired { get; private set; }

    public void Arm(string method, Func<Task> hook)
    {
        _armed = method;
        _hook = hook;
        Fired = 0;
    }

    private async Task BeforeAsync(string method)
    {
        if (_armed == method && _hook is { } hook)
        {
            _armed = null;
            _hook = null;
            Fired++;
            await hook();
        }
    }

    public async Task<bool> TryCreateCredentialAsync(Credential credential, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(TryCreateCredentialAsync));
        return await inner.TryCreateCredentialAsync(credential, cancellationToken);
    }

    public Task<Credential?> FindCredentialAsync(TenantId tenantId, EmailAddress email, CancellationToken cancellationToken) => inner.FindCredentialAsync(tenantId, email, cancellationToken);

    public Task<Credential?> FindCredentialOfUserAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => inner.FindCredentialOfUserAsync(tenantId, userId, cancellationToken);

    public async Task<bool> ReplacePasswordHashAsync(TenantId tenantId, EmailAddress email, string expectedHash, string newHash, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(ReplacePasswordHashAsync));
        return await inner.ReplacePasswordHashAsync(tenantId, email, expectedHash, newHash, cancellationToken);
    }

    public async Task<bool> MoveCredentialAsync(TenantId tenantId, UserId userId, EmailAddress from, EmailAddress to, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(MoveCredentialAsync));
        return await inner.MoveCredentialAsync(tenantId, userId, from, to, cancellationToken);
    }

    public async Task ConfirmCredentialAsync(TenantId tenantId, EmailAddress email, UserId userId, string passwordHash, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(ConfirmCredentialAsync));
        await inner.ConfirmCredentialAsync(tenantId, email, userId, passwordHash, cancellationToken);
    }

    public async Task<UserId> ClaimPhoneAsync(TenantId tenantId, PhoneNumber phone, UserId candidate, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(ClaimPhoneAsync));
        return await inner.ClaimPhoneAsync(tenantId, phone, candidate, now, cancellationToken);
    }

    public Task<UserId?> FindPhoneOwnerAsync(TenantId tenantId, PhoneNumber phone, CancellationToken cancellationToken) => inner.FindPhoneOwnerAsync(tenantId, phone, cancellationToken);

    public async Task SaveCodeAsync(VerificationCode code, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(SaveCodeAsync));
        await inner.SaveCodeAsync(code, cancellationToken);
    }

    public Task<VerificationCode?> FindCodeAsync(TenantId tenantId, CodePurpose purpose, string target, CancellationToken cancellationToken) => inner.FindCodeAsync(tenantId, purpose, target, cancellationToken);

    public Task<bool> TryTakeAttemptAsync(TenantId tenantId, CodePurpose purpose, string target, string hash, int maxAttempts, CancellationToken cancellationToken) =>
        inner.TryTakeAttemptAsync(tenantId, purpose, target, hash, maxAttempts, cancellationToken);

    public Task<bool> TryDeleteCodeAsync(TenantId tenantId, CodePurpose purpose, string target, string hash, CancellationToken cancellationToken) =>
        inner.TryDeleteCodeAsync(tenantId, purpose, target, hash, cancellationToken);

    public async Task CreateRefreshFamilyAsync(RefreshFamily family, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(CreateRefreshFamilyAsync));
        await inner.CreateRefreshFamilyAsync(family, cancellationToken);
    }

    public Task<RefreshFamily?> FindRefreshFamilyAsync(TenantId tenantId, string familyId, CancellationToken cancellationToken) => inner.FindRefreshFamilyAsync(tenantId, familyId, cancellationToken);

    public Task RevokeRefreshFamilyAsync(TenantId tenantId, string familyId, DateTimeOffset at, CancellationToken cancellationToken) => inner.RevokeRefreshFamilyAsync(tenantId, familyId, at, cancellationToken);

    public Task RevokeRefreshFamiliesOfUserAsync(TenantId tenantId, UserId userId, DateTimeOffset at, CancellationToken cancellationToken) => inner.RevokeRefreshFamiliesOfUserAsync(tenantId, userId, at, cancellationToken);

    public async Task CreateRefreshTokenAsync(RefreshToken token, CancellationToken cancellationToken)
    {
        await BeforeAsync(nameof(CreateRefreshTokenAsync));
        await inner.CreateRefreshTokenAsync(token, cancellationToken);
    }

    public Task<RefreshToken?> FindRefreshTokenAsync(TenantId tenantId, string hash, CancellationToken cancellationToken) => inner.FindRefreshTokenAsync(tenantId, hash, cancellationToken);

    public Task<bool> TryUseRefreshTokenAsync(TenantId tenantId, string hash, DateTimeOffset at, CancellationToken cancellationToken) => inner.TryUseRefreshTokenAsync(tenantId, hash, at, cancellationToken);
}
