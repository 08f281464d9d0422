using System.Globalization;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Audit;

/// <summary>
/// The audit log in Cosmos DB: the <c>audit</c> container, [tenantId, month]. Listing is one query over the tenant's
/// prefix ordered by id (the time-ordered sort key), so a page costs one query whatever the number of months; erasure
/// replaces the erased user's id by a pseudonym (ETag-conditional, retried on a concurrent change).
/// </summary>
public sealed class CosmosAuditLog(CosmosDatabase db) : IAuditLog, IPersonalDataStore
{
    private readonly Container _audit = db.Container(CosmosContainers.Audit);

    public string Section => "audit";

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        var document = new AuditDocument
        {
            Id = AuditKeys.NewSortKey(entry.At),
            TenantId = entry.TenantId.Value,
            Month = Month(entry.At),
            Action = entry.Action,
            ActorId = entry.ActorId,
            TargetId = entry.TargetId,
            AtMs = entry.At.ToUnixTimeMilliseconds(),
            Address = entry.Address,
            CorrelationId = entry.CorrelationId,
            Details = entry.Details?.ToDictionary(StringComparer.Ordinal),
        };
        if (!await _audit.TryCreateAsync(document, Key(entry.TenantId, document.Month), cancellationToken))
        {
            throw new InvalidOperationException("An audit entry's random id collided; nothing was written.");
        }
    }

    public async Task<AuditPage> ListAsync(TenantId tenantId, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        var after = continuation is null ? null : AuditKeys.DecodeContinuation(continuation);
        var size = AuditKeys.ClampPageSize(pageSize);
        var query = new QueryDefinition(
                after is null
                    ? "SELECT TOP @n * FROM c ORDER BY c.id DESC"
                    : "SELECT TOP @n * FROM c WHERE c.id < @after ORDER BY c.id DESC")
            .WithParameter("@n", size + 1)
            .WithParameter("@after", after);
        var documents = await QueryAsync(query, tenantId, cancellationToken);
        var page = documents.Take(size).ToList();
        return new AuditPage([.. page.Select(d => d.ToEntry())], documents.Count > size ? AuditKeys.EncodeContinuation(page[^1].Id) : null);
    }

    public async Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var documents = await QueryAsync(Naming(userId), tenantId, cancellationToken);
        return new PersonalDataSection(Section, [.. documents.OrderBy(d => d.Id, StringComparer.Ordinal).Select(d => new PersonalDataRecord("audit_entry", AuditKeys.Fields(d.ToEntry())))]);
    }

    /// <summary>Kept (security and legal record) but de-identified: the user's id becomes a pseudonym, their address its network.</summary>
    public async Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var pseudonym = ErasedUserKey.Of(tenantId, userId); // the erasure's own entry names the same pseudonym
        var changed = 0;
        foreach (var document in await QueryAsync(Naming(userId), tenantId, cancellationToken))
        {
            var current = document;
            while (current is not null)
            {
                if (current.ActorId == userId.Value)
                {
                    current.ActorId = pseudonym;
                    current.Address = AuditAddress.Generalise(current.Address);
                }

                if (current.TargetId == userId.Value)
                {
                    current.TargetId = pseudonym;
                }

                if (await _audit.TryReplaceAsync(current, current.Id, Key(tenantId, current.Month), current.ETag ?? "", cancellationToken))
                {
                    changed++;
                    break;
                }

                // Changed since read (another erasure of the other party): read it again and redo.
                current = (await _audit.ReadAsync<AuditDocument>(current.Id, Key(tenantId, current.Month), cancellationToken)).Document;
                if (current is not null && current.ActorId != userId.Value && current.TargetId != userId.Value)
                {
                    break;
                }
            }
        }

        return changed;
    }

    private static QueryDefinition Naming(UserId userId) =>
        new QueryDefinition("SELECT * FROM c WHERE c.actor_id = @u OR c.target_id = @u").WithParameter("@u", userId.Value);

    private static string Month(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static PartitionKey Key(TenantId tenantId, string month) => new PartitionKeyBuilder().Add(tenantId.Value).Add(month).Build();

    /// <summary>A query over the tenant's prefix; a tenant with no entry yet gets an empty list (a 404 here is a missing container).</summary>
    private Task<List<AuditDocument>> QueryAsync(QueryDefinition query, TenantId tenantId, CancellationToken cancellationToken) =>
        CosmosQueries.ListAsync<AuditDocument>(_audit, query, Keys.Tenant(tenantId), cancellationToken);
}
