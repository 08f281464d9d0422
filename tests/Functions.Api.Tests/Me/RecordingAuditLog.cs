using Shared.Domain.Audit;
using Shared.Domain.Common;

namespace Functions.Api.Tests.Me;

/// <summary>
/// An in-memory audit log for the API tests while AddBackend registers no audit store (the stores are being written in
/// main); registered with TryAdd, so the real store replaces it as soon as it is registered.
/// </summary>
public sealed class RecordingAuditLog : IAuditLog
{
    private readonly List<AuditEntry> _entries = [];

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            _entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task<AuditPage> ListAsync(TenantId tenantId, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        lock (_entries)
        {
            return Task.FromResult(new AuditPage([.. _entries.Where(e => e.TenantId == tenantId).Reverse().Take(pageSize)], null));
        }
    }
}
