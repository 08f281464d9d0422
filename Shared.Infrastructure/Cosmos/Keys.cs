using System.Security.Cryptography;
using System.Text;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Cosmos;

// Property names are snake_case (all lower case) on purpose: besides matching the wire format, the npm Cosmos
// server used in tests lower-cases patch filter predicates. Partition key properties keep the camelCase names that
// the container definitions use.

internal static class Keys
{
    public static PartitionKey Tenant(TenantId tenantId) => new(tenantId.Value);

    /// <summary>The tenant alone as a prefix of a hierarchical key (tenant, user / lookup): a query over all of the tenant's partitions.</summary>
    public static PartitionKey TenantPrefix(TenantId tenantId) => new PartitionKeyBuilder().Add(tenantId.Value).Build();

    public static PartitionKey User(TenantId tenantId, UserId userId) => new PartitionKeyBuilder().Add(tenantId.Value).Add(userId.Value).Build();

    public static PartitionKey Lookup(TenantId tenantId, string lookupKey) => new PartitionKeyBuilder().Add(tenantId.Value).Add(lookupKey).Build();

    /// <summary>Client strings (extension ids, emails) become fixed-length hex ids, safe in any Cosmos id.</summary>
    public static string Hashed(string prefix, string value) => prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));
}
