using Shared.Domain.Common;

namespace Shared.Domain.Campaigns;

/// <summary>Offers and their likes, per tenant.</summary>
public interface IOfferStore
{
    Task CreateAsync(Offer offer, CancellationToken cancellationToken);

    Task<Offer?> GetAsync(TenantId tenantId, string offerId, CancellationToken cancellationToken);

    /// <summary>Replaces the offer's details (not its likes); false when it no longer exists.</summary>
    Task<bool> UpdateAsync(Offer offer, CancellationToken cancellationToken);

    /// <summary>Deletes the offer and its likes; false when it did not exist.</summary>
    Task<bool> DeleteAsync(TenantId tenantId, string offerId, CancellationToken cancellationToken);

    /// <summary>Offers of the pin code active at <paramref name="now"/>, by id, after the id <paramref name="after"/>.</summary>
    Task<IReadOnlyList<Offer>> ListActiveAsync(TenantId tenantId, string pinCode, DateTimeOffset now, string? after, int pageSize, CancellationToken cancellationToken);

    /// <summary>Records the customer's like once (a repeat changes nothing) and answers the like count, or null when the offer does not exist.</summary>
    Task<long?> LikeAsync(TenantId tenantId, string offerId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Removes the customer's like if there was one and answers the like count, or null when the offer does not exist.</summary>
    Task<long?> UnlikeAsync(TenantId tenantId, string offerId, UserId userId, CancellationToken cancellationToken);

    /// <summary>Deletes up to <paramref name="max"/> offers that expired before <paramref name="now"/>; answers how many.</summary>
    Task<int> DeleteExpiredAsync(TenantId tenantId, DateTimeOffset now, int max, CancellationToken cancellationToken);
}
