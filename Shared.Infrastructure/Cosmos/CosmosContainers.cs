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
}
