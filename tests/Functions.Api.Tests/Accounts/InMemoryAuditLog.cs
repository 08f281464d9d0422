using System.Globalization;
using Shared.Domain.Audit;
using Shared.Domain.Common;

namespace Functions.Api.Tests;

/// <summary>
/// An audit log in memory for the API tests while the app registers no store of its own for it (ApiFactory adds it
/// with TryAdd, so a registered store wins). Append-only; pages newest first.
/// </summary>
public sealed class InMemoryAuditLog : IAuditLog
{
    private readonly List<AuditEntry> _entries = [];
    private readonly Lock _lock = new();

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _entries.Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task<AuditPage> ListAsync(TenantId tenantId, string? continuation, int pageSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var skip = continuation is null ? 0 : int.Parse(continuation, CultureInfo.InvariantCulture);
            var all = _entries.Where(e => e.TenantId == tenantId).Reverse().ToList();
            var page = all.Skip(skip).Take(pageSize).ToList();
            return Task.FromResult(new AuditPage(page, skip + page.Count < all.Count ? (skip + page.Count).ToString(CultureInfo.InvariantCulture) : null));
        }
    }
}
