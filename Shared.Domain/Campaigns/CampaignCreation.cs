namespace Shared.Domain.Campaigns;

/// <summary>What <see cref="ICampaignStore.TryCreateAsync"/> did.</summary>
public enum CampaignCreation
{
    /// <summary>Stored, and counted among its shopkeeper's active campaigns.</summary>
    Created,

    /// <summary>A campaign with this id exists already; nothing written.</summary>
    Exists,

    /// <summary>The shopkeeper has as many active campaigns as allowed; nothing written.</summary>
    TooManyActive,
}
