namespace Functions.Api.Http;

public enum TenantLookupOutcome
{
    /// <summary>The request names no tenant.</summary>
    Missing,

    /// <summary>The name is not a valid tenant id.</summary>
    Malformed,

    /// <summary>No such tenant.</summary>
    Unknown,

    /// <summary>The client address caused too many lookups of tenants this instance does not know; the store was not read.</summary>
    Limited,

    Found,
}
