using System.Net;
using System.Text.Json;
using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Privacy;

namespace Shared.Infrastructure.Cosmos;

/// <summary>
/// One feature's personal data in Cosmos DB, described by where its documents about a user live: export reads each such
/// document (its top-level fields; strings as they are, other values as JSON text); erase deletes them one by one (a
/// document already gone counts as done; documents kept for the law or for another user are de-identified instead, see
/// <see cref="CosmosPersonalDocuments"/>), so a repeat or a retry after a failure midway finishes the work. Queries are
/// scoped to the user's partition or to the tenant's partitions: other tenants are never read or touched.
/// </summary>
public sealed class CosmosPersonalData(CosmosDatabase db, string section, IReadOnlyList<CosmosPersonalDocuments> sets) : IPersonalDataStore
{
    private static readonly HashSet<string> SystemFields = new(["_rid", "_self", "_etag", "_attachments", "_ts", "_lsn"], StringComparer.Ordinal);

    public string Section => section;

    public async Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var records = new List<PersonalDataRecord>();
        foreach (var set in sets)
        {
            foreach (var document in await FindAsync(set, tenantId, userId, cancellationToken))
            {
                var fields = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var property in document.EnumerateObject().Where(p => !SystemFields.Contains(p.Name)))
                {
                    fields[property.Name] = Privacy.WithheldFields.IsWithheld(property.Name) ? Privacy.WithheldFields.Placeholder : property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => property.Value.GetRawText(),
                    };
                }

                records.Add(new PersonalDataRecord(set.Kind, fields));
            }
        }

        return new PersonalDataSection(section, records);
    }

    public async Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var erased = 0;
        var pseudonym = ErasedUserKey.PseudonymOf(tenantId, userId).Value;
        foreach (var set in sets)
        {
            var container = db.Container(set.Container);
            foreach (var document in await FindAsync(set, tenantId, userId, cancellationToken))
            {
                if (!set.ErasedWithUser)
                {
                    await DeIdentifyAsync(container, set.Container, document, userId.Value, pseudonym, cancellationToken);
                    erased++;
                    continue;
                }

                using var response = await container.DeleteItemStreamAsync(document.GetProperty("id").GetString()!, PartitionKeyOf(set.Container, document), cancellationToken: cancellationToken);
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    response.EnsureSuccessStatusCode();
                    erased++;
                }
            }
        }

        return erased;
    }

    /// <summary>
    /// Keeps the document with every occurrence of the user id replaced by the pseudonym. When that changes its partition
    /// (a document in the user's own partition), the copy is written first and the original deleted after, so a failure
    /// midway leaves the original to be found by a retry (the copy is then overwritten, not duplicated).
    /// </summary>
    private static async Task DeIdentifyAsync(Container container, ContainerSpec spec, JsonElement document, string userId, string pseudonym, CancellationToken cancellationToken)
    {
        var original = PartitionKeyOf(spec, document);
        var id = document.GetProperty("id").GetString()!;
        using var kept = JsonDocument.Parse(document.GetRawText().Replace(userId, pseudonym, StringComparison.Ordinal));
        var moved = PartitionKeyOf(spec, kept.RootElement);
        var newId = kept.RootElement.GetProperty("id").GetString()!;
        using (var payload = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(kept.RootElement.GetRawText())))
        using (var written = await container.UpsertItemStreamAsync(payload, moved, cancellationToken: cancellationToken))
        {
            written.EnsureSuccessStatusCode();
        }

        if (!moved.Equals(original) || newId != id)
        {
            using var deleted = await container.DeleteItemStreamAsync(id, original, cancellationToken: cancellationToken);
            if (deleted.StatusCode != HttpStatusCode.NotFound)
            {
                deleted.EnsureSuccessStatusCode();
            }
        }
    }

    private async Task<List<JsonElement>> FindAsync(CosmosPersonalDocuments set, TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var conditions = new List<string>();
        if (set.UserField is { } field)
        {
            conditions.Add($"c.{field} = @user");
        }

        if (set.Types is { Count: > 0 } types)
        {
            conditions.Add("(" + string.Join(" OR ", types.Select((_, i) => $"c.type = @type{i}")) + ")");
        }

        if (set.UntypedOnly)
        {
            conditions.Add("NOT IS_DEFINED(c.type)");
        }

        var text = "SELECT * FROM c" + (conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "");
        var query = new QueryDefinition(text);
        if (set.UserField is not null)
        {
            query = query.WithParameter("@user", userId.Value);
        }

        foreach (var (type, i) in (set.Types ?? []).Select((t, i) => (t, i)))
        {
            query = query.WithParameter($"@type{i}", type);
        }

        var partition = set.UserField is null ? Keys.User(tenantId, userId) : Keys.TenantPrefix(tenantId);
        return await CosmosQueries.ListAsync<JsonElement>(db.Container(set.Container), query, partition, cancellationToken);
    }

    /// <summary>The document's full partition key, read from its fields at the container's key paths.</summary>
    private static PartitionKey PartitionKeyOf(ContainerSpec container, JsonElement document)
    {
        var builder = new PartitionKeyBuilder();
        foreach (var path in container.PartitionKeyPaths)
        {
            builder.Add(document.GetProperty(path.TrimStart('/')).GetString());
        }

        return builder.Build();
    }
}
