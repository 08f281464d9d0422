using Shared.Domain.Accounts;
using Shared.Domain.Common;

namespace Shared.Domain.Notifications;

/// <summary>
/// The phone number a user proved by a one-time code (accounts' phone OTP login, which claims the number for the user):
/// the only number a WhatsApp campaign message may go to.
/// </summary>
public interface IVerifiedPhoneDirectory
{
    /// <summary>The user's most recently verified number, or null when they verified none.</summary>
    Task<PhoneNumber?> FindAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);
}
