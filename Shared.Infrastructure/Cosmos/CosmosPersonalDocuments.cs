namespace Shared.Infrastructure.Cosmos;

/// <summary>
/// Documents about one user of a tenant in <paramref name="Container"/>, exported as records of <paramref name="Kind"/>:
/// with no <paramref name="UserField"/>, those in the user's own partition ([tenantId, userId]); with one, those of the
/// tenant whose <paramref name="UserField"/> names the user (a prefix query over the tenant's partitions). Either
/// narrowed to the document <paramref name="Types"/> given. Names are code constants (never input). Documents that belong
/// to another user and only name this one (<paramref name="ErasedWithUser"/> false) are exported but kept on erasure.
/// </summary>
public sealed record CosmosPersonalDocuments(ContainerSpec Container, string Kind, IReadOnlyList<string>? Types = null, string? UserField = null, bool ErasedWithUser = true);
