using Microsoft.Azure.Cosmos;
using Shared.Domain.Accounts;
using Shared.Domain.Common;
using Shared.Domain.Notifications;
using Shared.Infrastructure.Cosmos;

namespace Shared.Infrastructure.Notifications;

/// <summary>
/// Reads accounts' <c>phone</c> documents in <c>lookups</c> (written only when the user proved the number by OTP),
/// read-only. They are keyed by the hashed number, so finding a user's number is a query over the tenant's lookup
/// partitions (a prefix query, as the personal-data export makes); a WhatsApp send makes one per recipient.
/// </summary>
public sealed class CosmosVerifiedPhoneDirectory(CosmosDatabase db) : IVerifiedPhoneDirectory
{
    private readonly Container _lookups = db.Container(CosmosContainers.Lookups);

    public async Task<PhoneNumber?> FindAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken)
    {
        var query = new QueryDefinition("SELECT c.phone, c.created_at_ms FROM c WHERE c.type = 'phone' AND c.user_id = @u").WithParameter("@u", userId.Value);
        var found = await CosmosQueries.ListAsync<PhoneRow>(_lookups, query, Keys.TenantPrefix(tenantId), cancellationToken);
        var latest = found.OrderByDescending(r => r.CreatedAtMs).ThenByDescending(r => r.Phone, StringComparer.Ordinal).FirstOrDefault();
        return latest?.Phone is { } stored && PhoneNumber.TryParse(stored, out var phone) ? phone : null;
    }

    private sealed class PhoneRow
    {
        public string? Phone { get; set; }

        public long CreatedAtMs { get; set; }
    }
}
