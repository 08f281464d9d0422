using Microsoft.Azure.Cosmos;
using Shared.Domain.Admin;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Admin;

/// <summary>
/// Admin reads over the tenant's user documents (<c>users</c>) and installation lookups (<c>lookups</c>): partition-key
/// prefix queries (the tenant), never another tenant's partitions. Admin-only and paged, so their cost is bounded per page.
/// </summary>
public sealed class CosmosAdminUserSearch(CosmosDatabase db) : IAdminUserSearch
{
    private readonly Container _users = db.Container(CosmosContainers.Users);
    private readonly Container _lookups = db.Container(CosmosContainers.Lookups);

    public async Task<IReadOnlyList<AdminUserSummary>> SearchAsync(TenantId tenantId, string emailPrefix, UserId? after, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition(
                """
                SELECT TOP @max c.userId, c.verified_email, c.contact_email, c.email, c.created_at_ms FROM c
                WHERE c.type = 'user' AND c.userId > @after
                  AND (@p = '' OR STARTSWITH(c.verified_email, @p) OR STARTSWITH(c.contact_email, @p) OR STARTSWITH(c.email, @p))
                ORDER BY c.userId
                """)
            .WithParameter("@max", max)
            .WithParameter("@after", after?.Value ?? "")
            .WithParameter("@p", emailPrefix);
        var rows = await CosmosQueries.ListAsync<AdminUserRow>(_users, query, new QueryRequestOptions { PartitionKey = Keys.TenantPrefix(tenantId) }, max, cancellationToken);
        return [.. rows.Select(row => new AdminUserSummary(UserId.Parse(row.UserId), Parse(row.VerifiedEmail), Parse(row.ContactEmail ?? row.Email), DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAtMs)))];
    }

    public async Task<int> CountInstallationsAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        // Installation lookups are the "ext:" documents naming the user; counted here rather than with COUNT so the
        // query stays one the test server evaluates like Cosmos does.
        var query = new QueryDefinition("SELECT c.id FROM c WHERE c.user_id = @u AND STARTSWITH(c.id, 'ext:')").WithParameter("@u", userId.Value);
        return (await CosmosQueries.ListAsync<IdRow>(_lookups, query, Keys.TenantPrefix(tenantId), cancellationToken)).Count;
    }

    private static EmailAddress? Parse(string? raw) => raw is not null && EmailAddress.TryParse(raw, out var e) ? e : null;

    private sealed class IdRow
    {
        public string Id { get; set; } = "";
    }
}
