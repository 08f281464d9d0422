namespace Shared.Infrastructure.Cosmos;

/// <summary>
/// The Cosmos DB containers the features share (each feature declares those it uses with
/// <see cref="CosmosRegistration.AddCosmosContainers"/>; infra/ deploys the same set, a test checks they agree).
/// Per-user data is keyed by [tenantId, userId] so no logical partition grows with the number of users; alternate-key
/// lookups (extension id, email) are small documents keyed by [tenantId, lookupKey].
/// </summary>
public static class CosmosContainers
{
    public static readonly ContainerSpec Tenants = new("tenants", ["/tenantId"]);
    public static readonly ContainerSpec Users = new("users", ["/tenantId", "/userId"]);
    public static readonly ContainerSpec Lookups = new("lookups", ["/tenantId", "/lookupKey"]);
    public static readonly ContainerSpec Usage = new("usage", ["/tenantId", "/userId"]);

    /// <summary>Billing per user: every subscription under its Stripe id, and billing anomalies.</summary>
    public static readonly ContainerSpec Billing = new("billing", ["/tenantId", "/userId"]);

    /// <summary>Anonymized aggregates (data sharing), apart from every container that holds user data.</summary>
    /// <summary>The append-only audit log, per tenant and month (a tenant's log never grows one logical partition without bound).</summary>
    public static readonly ContainerSpec Audit = new("audit", ["/tenantId", "/month"]);

    public static readonly ContainerSpec Insights = new("insights", ["/tenantId", "/day"]);

    /// <summary>
    /// The marketplace: each item with its installs and ratings in one logical partition [tenantId, itemId] (a tenant's
    /// catalog is a prefix query; an item's counters are patched where its install and rating documents live). The
    /// composite indexes serve the catalog's orders and the ratings list (see SearchItems in the marketplace store).
    /// </summary>
    public static readonly ContainerSpec Marketplace = new(
        "marketplace",
        ["/tenantId", "/itemId"],
        [
            [("/install_count", true), ("/id", true)],
            [("/rating_score", true), ("/id", true)],
            [("/created_at_ms", true), ("/id", true)],
            [("/updated_at_ms", true), ("/user_id", true)],
        ]);

    /// <summary>
    /// Notifications per user [tenantId, userId]: a customer's in-app inbox (newest first by the composite index) and
    /// their registered push devices are one logical partition each, so reading an inbox is one partition's query.
    /// </summary>
    public static readonly ContainerSpec Notifications = new("notifications", ["/tenantId", "/userId"], [[("/created_at_ms", true), ("/id", true)]]);

    /// <summary>Offers: each offer with its likes in one logical partition [tenantId, offerId] (a like and the count change in one transactional batch); a pin code's list is a prefix query over the tenant's offers.</summary>
    public static readonly ContainerSpec Offers = new("offers", ["/tenantId", "/offerId"]);

    /// <summary>Campaigns: the campaign, its snapshotted batches and their deliveries in one logical partition [tenantId, campaignId].</summary>
    public static readonly ContainerSpec Campaigns = new("campaigns", ["/tenantId", "/campaignId"]);
}
