using Microsoft.Azure.Cosmos;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Accounts;

/// <summary>
/// A user's installations: the tenant's <c>ext:</c> lookup documents naming the user (their ids are already the digest
/// <see cref="IdOf"/> computes), a tenant-prefix query bounded to the <c>max</c> oldest links: <c>TOP</c> with
/// <c>ORDER BY created_at_ms</c> (one property, served by the default range index; no composite index needed), and no
/// page read past <c>max</c> rows (<see cref="CosmosQueries.ListAsync{T}(Container, QueryDefinition, QueryRequestOptions, int, CancellationToken)"/>).
/// The rows are then ordered by time and id here (links of the same millisecond by id, as the SQLite store breaks such
/// ties by its own key); which of several links of the same millisecond at the cut make the list is the server's choice.
/// </summary>
public sealed class CosmosLinkedInstallations(CosmosDatabase db) : ILinkedInstallations
{
    private readonly Container _lookups = db.Container(CosmosContainers.Lookups);

    /// <summary>The id an installation is shown by: <c>ext:</c> + the SHA-256 (lower-case hex) of the extension id, the key of its Cosmos lookup document.</summary>
    public static string IdOf(ExtensionId extensionId) => Keys.Hashed("ext:", extensionId.Value);

    public async Task<IReadOnlyList<LinkedInstallation>> ListAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken)
    {
        if (max <= 0)
        {
            return [];
        }

        var query = new QueryDefinition("SELECT TOP @max c.id, c.created_at_ms FROM c WHERE c.user_id = @u AND STARTSWITH(c.id, 'ext:') ORDER BY c.created_at_ms")
            .WithParameter("@max", max)
            .WithParameter("@u", userId.Value);
        var rows = await CosmosQueries.ListAsync<Row>(_lookups, query, new QueryRequestOptions { PartitionKey = Keys.TenantPrefix(tenantId), MaxItemCount = max }, max, cancellationToken);
        return [.. rows.OrderBy(r => r.CreatedAtMs).ThenBy(r => r.Id, StringComparer.Ordinal).Select(r => new LinkedInstallation(r.Id, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAtMs)))];
    }

    private sealed class Row
    {
        public string Id { get; set; } = "";

        public long CreatedAtMs { get; set; }
    }
}
