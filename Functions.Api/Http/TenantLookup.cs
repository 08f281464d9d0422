using Shared.Domain.Tenants;

namespace Functions.Api.Http;

/// <summary>What a request's tenant turned out to be (one lookup per request, shared by CORS and the tenant filter).</summary>
public sealed record TenantLookup(TenantLookupOutcome Outcome, Tenant? Tenant = null, TimeSpan RetryAfter = default)
{
    public static readonly TenantLookup Missing = new(TenantLookupOutcome.Missing);
    public static readonly TenantLookup Malformed = new(TenantLookupOutcome.Malformed);
    public static readonly TenantLookup Unknown = new(TenantLookupOutcome.Unknown);
}
