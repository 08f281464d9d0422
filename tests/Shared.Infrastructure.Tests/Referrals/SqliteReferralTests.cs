namespace Shared.Infrastructure.Tests.Referrals;

public sealed class SqliteReferralTests : ReferralScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}
