using Shared.Domain.Common;

namespace Shared.Domain.Users;

/// <summary>
/// A person using one of a tenant's products, across any number of extension installations.
/// <see cref="VerifiedEmail"/> was proven (an ID token of the tenant's identity provider) and is unique in the tenant:
/// it is the only email that ever links an installation to this user. <see cref="ContactEmail"/> is what an
/// installation typed when the user was created: unverified, not unique, never used to find anyone.
/// <see cref="DisplayName"/> is what the user chose to be shown as (marketplace creator, reviews); null until set.
/// </summary>
public sealed record UserAccount(TenantId TenantId, UserId Id, EmailAddress? VerifiedEmail, EmailAddress? ContactEmail, Role Role, DateTimeOffset CreatedAt, string? DisplayName = null)
{
    /// <summary>Where to write to the user (e.g. the payment provider's receipts): the verified address, else the contact one.</summary>
    public EmailAddress? Email => VerifiedEmail ?? ContactEmail;
}
