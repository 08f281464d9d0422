using Shared.Domain.Common;

namespace Shared.Domain.Notifications;

/// <summary>
/// The FCM registration tokens customers register for push, per user of a tenant; a user keeps at most
/// <see cref="PushDevices.MaxPerUser"/> (registering one more forgets the least recently registered).
/// </summary>
public interface IPushDeviceStore
{
    /// <summary>Adds the token to the user's devices, or refreshes its registration time when it is there already.</summary>
    Task RegisterAsync(TenantId tenantId, UserId userId, string fcmToken, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Removes the token from the user's devices; false when the user did not have it.</summary>
    Task<bool> RemoveAsync(TenantId tenantId, UserId userId, string fcmToken, CancellationToken cancellationToken);

    /// <summary>The user's tokens, most recently registered first.</summary>
    Task<IReadOnlyList<string>> ListAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);
}
