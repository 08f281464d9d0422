namespace Functions.Api.Http;

public sealed class RequestRateLimitOptions
{
    /// <summary>Requests one tenant may make per second (all its callers together), per instance.</summary>
    public int PerTenantPerSecond { get; set; } = 1000;

    /// <summary>
    /// Requests one caller may make per minute in one tenant, per instance. A caller is the token's user AND the client
    /// address: a request must fit both budgets, so attaching tokens never adds to an address' budget.
    /// </summary>
    public int PerCallerPerMinute { get; set; } = 600;

    /// <summary>The address budget when it should differ from <see cref="PerCallerPerMinute"/> (many users behind one NAT); unset means the same.</summary>
    public int? PerAddressPerMinute { get; set; }

    /// <summary>
    /// Lookups of tenants this instance does not know (not cached as existing) one client address may cause per minute,
    /// all tenant ids together, before the store is read: names of unknown tenants cost a store read each and skip every
    /// per-tenant limit.
    /// </summary>
    public int UnknownTenantPerAddressPerMinute { get; set; } = 30;

    /// <summary>Callers (and tenants) whose buckets one instance keeps; beyond it idle buckets are dropped first (memory bound).</summary>
    public int MaxTrackedCallers { get; set; } = 100_000;
}
