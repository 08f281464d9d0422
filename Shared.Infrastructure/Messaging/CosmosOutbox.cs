using Microsoft.Azure.Cosmos;
using Shared.Domain.Common;
using Shared.Domain.Messaging;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Messaging;

/// <summary>The local outbox on Cosmos DB (the emulator or a test server; refused in Production like the SQLite one).</summary>
public sealed class CosmosOutbox(CosmosDatabase db, TimeProvider time) : IMailSender, ISmsSender, IOutbox
{
    private readonly Container _lookups = db.Container(CosmosContainers.Lookups);

    public Task SendAsync(MailMessage message, CancellationToken cancellationToken) =>
        StoreAsync(message.TenantId, message.To.Value, message.UserId, message.Subject, message.Body, message.Code, cancellationToken);

    public Task SendAsync(SmsMessage message, CancellationToken cancellationToken) =>
        StoreAsync(message.TenantId, message.To.Value, message.UserId, null, message.Body, message.Code, cancellationToken);

    public async Task<IReadOnlyList<OutboxItem>> LatestAsync(TenantId tenantId, string to, int max, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT * FROM c WHERE c.type = 'outbox' AND c.recipient = @r").WithParameter("@r", to);
        var found = await CosmosQueries.ListAsync<OutboxDocument>(_lookups, query, Keys.Lookup(tenantId, Key(to)), cancellationToken);
        return [.. found.OrderByDescending(d => d.SentAtMs).ThenByDescending(d => d.Id, StringComparer.Ordinal).Take(max)
            .Select(d => new OutboxItem(d.Recipient, d.Subject, d.Body, d.Code, DateTimeOffset.FromUnixTimeMilliseconds(d.SentAtMs)))];
    }

    private async Task StoreAsync(TenantId tenantId, string to, UserId? userId, string? subject, string body, string? code, CancellationToken cancellationToken)
    {
        var key = Key(to);
        var created = await _lookups.TryCreateAsync(
            new OutboxDocument
            {
                Id = Guid.CreateVersion7(time.GetUtcNow()).ToString("N"),
                TenantId = tenantId.Value,
                LookupKey = key,
                UserId = userId?.Value,
                Recipient = to,
                Subject = subject,
                Body = body,
                Code = code,
                SentAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            },
            Keys.Lookup(tenantId, key),
            cancellationToken);
        if (!created)
        {
            throw new InvalidOperationException("An outbox message id collided.");
        }
    }

    private static string Key(string to) => Keys.Hashed("outbox:", to);
}
