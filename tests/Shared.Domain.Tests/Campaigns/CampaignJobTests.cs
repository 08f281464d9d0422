using System.Text.Json;
using Shared.Domain.Campaigns;
using Shared.Domain.Common;
using Xunit;

namespace Shared.Domain.Tests.Campaigns;

public sealed class CampaignJobTests
{
    private static string Body(string campaignId) => JsonSerializer.Serialize(new { tenant_id = "alpha", campaign_id = campaignId, batch = 0 });

    [Fact]
    public void Only_campaign_ids_of_the_created_shape_are_parsed_from_a_message()
    {
        var id = Campaign.NewId();
        Assert.True(Campaign.IsId(id));
        Assert.True(CampaignJob.TryParse(Body(id), out var job));
        Assert.Equal((TenantId.Parse("alpha"), id, (int?)0), (job.TenantId, job.CampaignId, job.Batch));

        // Shapes a loose length check let through: short, 40 characters, upper-case or non-hex digits.
        string[] malformed = ["cmp_x", "cmp_" + new string('a', 36), "cmp_ABCDEF" + new string('0', 26), "cmp_" + new string('g', 32), "off_" + id[4..], id + " "];
        Assert.All(malformed, bad =>
        {
            Assert.False(Campaign.IsId(bad), bad);
            Assert.False(CampaignJob.TryParse(Body(bad), out _), bad);
        });
    }
}
