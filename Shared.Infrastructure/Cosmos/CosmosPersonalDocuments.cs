namespace Shared.Infrastructure.Cosmos;

/// <summary>
/// Documents about one user of a tenant in <paramref name="Container"/>, exported as records of <paramref name="Kind"/>:
/// with no <paramref name="UserField"/>, those in the user's own partition ([tenantId, userId]); with one, those of the
/// tenant whose <paramref name="UserField"/> names the user (a prefix query over the tenant's partitions). Either
/// narrowed to the document <paramref name="Types"/> given. Names are code constants (never input). Documents that must
/// outlive the erasure (<paramref name="ErasedWithUser"/> false: another user's record naming this one, or what the law
/// requires to keep, such as payments) are exported, and on erasure kept de-identified: every occurrence of the user id
/// becomes the user's pseudonym (<see cref="Shared.Domain.Privacy.ErasedUserKey.PseudonymOf"/>), which moves a document
/// of the user's own partition to the pseudonym's partition. <paramref name="UntypedOnly"/> narrows to documents without a
/// <c>type</c> (the users feature's lookups share their container with typed documents of other features).
/// </summary>
public sealed record CosmosPersonalDocuments(ContainerSpec Container, string Kind, IReadOnlyList<string>? Types = null, string? UserField = null, bool ErasedWithUser = true, bool UntypedOnly = false);
