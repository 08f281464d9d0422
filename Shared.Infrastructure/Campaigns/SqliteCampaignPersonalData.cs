using Shared.Domain.Common;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Campaigns;

/// <summary>
/// Offers, preferences and campaigns as personal data (embedded store). A customer's preferences, pin codes and likes
/// are deleted; the customer's recipient and delivery rows are kept de-identified (they are what a shopkeeper was
/// charged for). A shopkeeper's offers are deleted; their campaigns are kept de-identified (financial records, like
/// the wallet ledger they were charged on).
/// </summary>
public sealed class SqliteCampaignPersonalData(SqliteDatabase db) : IPersonalDataStore
{
    private readonly SqlitePersonalData _data = new(db, "campaigns",
    [
        new("customer_preferences", "campaign_preferences"),
        new("customer_pin_codes", "campaign_pin_code"),
        new("offer_likes", "offer_like"),
        new("offers", "offer", "shopkeeper_id"),
        new("campaigns", "campaign", "shopkeeper_id", ErasedWithUser: false),
        new("campaign_recipients", "campaign_recipient", ErasedWithUser: false),
        new("campaign_deliveries", "campaign_delivery", ErasedWithUser: false),
    ]);

    public string Section => _data.Section;

    public Task<PersonalDataSection> ExportAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => _data.ExportAsync(tenantId, userId, cancellationToken);

    public Task<int> EraseAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) => _data.EraseAsync(tenantId, userId, cancellationToken);
}
