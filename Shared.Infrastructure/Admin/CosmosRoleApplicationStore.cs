using System.Net;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Admin;
using Shared.Domain.Common;
using Shared.Domain.Users;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Admin;

/// <summary>
/// Role applications in the applicant's partition of <c>users</c>, each with a pending-lock document while pending
/// (<see cref="RoleApplicationLockDocument"/>); the admin list is a tenant-prefix query.
/// </summary>
public sealed class CosmosRoleApplicationStore(CosmosDatabase db) : IRoleApplicationStore
{
    private readonly Container _users = db.Container(CosmosContainers.Users);

    public async Task<bool> TryCreateAsync(RoleApplication application, CancellationToken cancellationToken)
    {
        var role = application.Role.ToClaim();
        var batch = _users.CreateTransactionalBatch(Keys.User(application.TenantId, application.UserId))
            .CreateItemStream(CosmosStreams.Serialize(new RoleApplicationLockDocument { Id = RoleApplicationLockDocument.IdFor(role), TenantId = application.TenantId.Value, UserId = application.UserId.Value, ApplicationId = application.Id }))
            .CreateItemStream(CosmosStreams.Serialize(RoleApplicationDocument.From(application)));
        using var response = await batch.ExecuteAsync(cancellationToken);
        return response.IsSuccessStatusCode || (response.StatusCode == HttpStatusCode.Conflict
            ? false
            : throw new CosmosException($"Role application batch failed: {response.ErrorMessage}", response.StatusCode, 0, response.ActivityId, response.RequestCharge));
    }

    public async Task<RoleApplication?> GetAsync(TenantId tenantId, string id, CancellationToken cancellationToken) =>
        RoleApplication.TryReadApplicant(id, out var applicant)
            ? (await _users.ReadAsync<RoleApplicationDocument>(RoleApplicationDocument.IdFor(id), Keys.User(tenantId, applicant), cancellationToken)).Document?.ToApplication()
            : null;

    public async Task<bool> TryDecideAsync(RoleApplication decided, CancellationToken cancellationToken)
    {
        var partition = Keys.User(decided.TenantId, decided.UserId);
        var (stored, etag) = await _users.ReadAsync<RoleApplicationDocument>(RoleApplicationDocument.IdFor(decided.Id), partition, cancellationToken);
        if (stored is null || stored.Status != "pending" || etag is null)
        {
            return false;
        }

        var batch = _users.CreateTransactionalBatch(partition)
            .ReplaceItemStream(stored.Id, CosmosStreams.Serialize(RoleApplicationDocument.From(decided)), new TransactionalBatchItemRequestOptions { IfMatchEtag = etag })
            .DeleteItem(RoleApplicationLockDocument.IdFor(stored.Role));
        using var response = await batch.ExecuteAsync(cancellationToken);
        return response.IsSuccessStatusCode || (response.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound
            ? false
            : throw new CosmosException($"Role application decision failed: {response.ErrorMessage}", response.StatusCode, 0, response.ActivityId, response.RequestCharge));
    }

    public async Task<DateTimeOffset?> LastRejectedAtAsync(TenantId tenantId, UserId userId, Role role, CancellationToken cancellationToken)
    {
        // In the applicant's partition only: a handful of documents, the latest one taken.
        var query = new QueryDefinition("SELECT TOP 1 VALUE c.decided_at_ms FROM c WHERE c.type = 'role_application' AND c.role = @r AND c.status = 'rejected' ORDER BY c.decided_at_ms DESC")
            .WithParameter("@r", role.ToClaim());
        var latest = await CosmosQueries.ListAsync<long?>(_users, query, new QueryRequestOptions { PartitionKey = Keys.User(tenantId, userId), MaxItemCount = 1 }, 1, cancellationToken);
        return latest is [{ } at] ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null;
    }

    public async Task<IReadOnlyList<RoleApplication>> ListAsync(TenantId tenantId, RoleApplicationStatus status, string? afterId, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT TOP @max * FROM c WHERE c.type = 'role_application' AND c.status = @s AND c.application_id > @after ORDER BY c.application_id")
            .WithParameter("@max", max)
            .WithParameter("@s", RoleApplications.Format(status))
            .WithParameter("@after", afterId ?? "");
        var documents = await CosmosQueries.ListAsync<RoleApplicationDocument>(_users, query, new QueryRequestOptions { PartitionKey = Keys.TenantPrefix(tenantId) }, max, cancellationToken);
        return [.. documents.Select(d => d.ToApplication()).OrderBy(a => a.Id, StringComparer.Ordinal)];
    }
}
