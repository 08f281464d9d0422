using Shared.Domain.Common;
using Shared.Domain.Notifications;

namespace Shared.Domain.Campaigns;

/// <summary>Customers' pin codes and consent, and the audience query campaigns are built from.</summary>
public interface ICustomerPreferenceStore
{
    /// <summary>Replaces the customer's preferences (the latest write wins).</summary>
    Task PutAsync(CustomerPreferences preferences, CancellationToken cancellationToken);

    Task<CustomerPreferences?> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken);

    /// <summary>The current preferences of the given customers (those without any are absent): the consent re-check before each batch.</summary>
    Task<IReadOnlyDictionary<UserId, ChannelConsent>> GetConsentAsync(TenantId tenantId, IReadOnlyList<UserId> userIds, CancellationToken cancellationToken);

    /// <summary>
    /// Customers of the tenant registered in any of <paramref name="pinCodes"/> who consent to at least one of
    /// <paramref name="channels"/>, each once, ordered by user id, after <paramref name="after"/>, at most
    /// <paramref name="pageSize"/>; a member's channels are the requested ones it consents to.
    /// </summary>
    Task<IReadOnlyList<AudienceMember>> ListAudienceAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, UserId? after, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// How many customers <see cref="ListAudienceAsync"/> would list (each once), and per requested channel how many of
    /// them consent to it: counted in the store, nothing read into memory.
    /// </summary>
    Task<AudienceCount> CountAudienceAsync(TenantId tenantId, IReadOnlyList<string> pinCodes, IReadOnlyList<NotificationChannel> channels, CancellationToken cancellationToken);
}
