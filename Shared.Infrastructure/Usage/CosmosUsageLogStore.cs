using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Usage;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Json;

namespace Shared.Infrastructure.Usage;

public sealed class CosmosUsageLogStore(CosmosDatabase db) : IUsageLogStore
{
    private readonly Container _container = db.Container(CosmosContainers.Usage);

    public async Task AppendAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        foreach (var chunk in records.Chunk(32))
        {
            await Task.WhenAll(chunk.Select(record => _container.TryCreateAsync(
                new UsageDocument
                {
                    Id = UsageDocument.NewId(record.At),
                    TenantId = record.TenantId.Value,
                    UserId = record.UserId.Value,
                    ActionType = record.ActionType,
                    Outcome = ConsumeKindText.Format(record.Outcome),
                    AtMs = record.At.ToUnixTimeMilliseconds(),
                },
                Keys.User(record.TenantId, record.UserId),
                cancellationToken)));
        }
    }

    public Task<IReadOnlyList<UsageRecord>> ListForUserAsync(TenantId tenantId, UserId userId, int max, CancellationToken cancellationToken) =>
        QueryAsync(
            new QueryDefinition("SELECT TOP @max * FROM c WHERE c.tenantId = @t AND c.userId = @u ORDER BY c.id DESC")
                .WithParameter("@t", tenantId.Value).WithParameter("@u", userId.Value).WithParameter("@max", max),
            tenantId,
            userId,
            cancellationToken);

    public Task<IReadOnlyList<UsageRecord>> ListForUserBetweenAsync(TenantId tenantId, UserId userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        QueryAsync(
            new QueryDefinition("SELECT * FROM c WHERE c.tenantId = @t AND c.userId = @u AND c.at_ms >= @from AND c.at_ms < @to ORDER BY c.id")
                .WithParameter("@t", tenantId.Value).WithParameter("@u", userId.Value).WithParameter("@from", from.ToUnixTimeMilliseconds()).WithParameter("@to", to.ToUnixTimeMilliseconds()),
            tenantId,
            userId,
            cancellationToken);

    private async Task<IReadOnlyList<UsageRecord>> QueryAsync(QueryDefinition query, TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        [.. (await CosmosQueries.ListAsync<UsageDocument>(_container, query, Keys.User(tenantId, userId), cancellationToken))
            .Select(doc => new UsageRecord(tenantId, userId, doc.ActionType, ConsumeKindText.Parse(doc.Outcome), DateTimeOffset.FromUnixTimeMilliseconds(doc.AtMs)))];
}
