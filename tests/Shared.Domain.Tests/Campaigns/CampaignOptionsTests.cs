using Shared.Domain.Campaigns;
using Xunit;

namespace Shared.Domain.Tests.Campaigns;

public sealed class CampaignOptionsTests
{
    [Fact]
    public void The_estimate_cache_duration_may_be_zero_but_not_negative_and_sizes_are_at_least_one()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), new CampaignOptions().Validate().EstimateCacheDuration);
        Assert.Equal(TimeSpan.Zero, new CampaignOptions { EstimateCacheDuration = TimeSpan.Zero }.Validate().EstimateCacheDuration);
        Assert.Contains("EstimateCacheDuration", Assert.Throws<InvalidOperationException>(() => new CampaignOptions { EstimateCacheDuration = TimeSpan.FromSeconds(-1) }.Validate()).Message);
        Assert.Throws<InvalidOperationException>(() => new CampaignOptions { AudiencePageSize = 0 }.Validate());
        Assert.Throws<InvalidOperationException>(() => new CampaignOptions { MaxActivePerShopkeeper = 0 }.Validate());
    }
}
