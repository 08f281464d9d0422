using Shared.Domain.DataSharing;
using Xunit;

namespace Shared.Domain.Tests;

public sealed class AnonymizationTests
{
    [Theory]
    [InlineData("text_rewrite", "text_rewrite")]
    [InlineData("summarize", "summarize")]
    [InlineData("someone@example.com", "other")]
    [InlineData("user-01a2", "other")]
    [InlineData("order_12345", "other")]
    [InlineData("Text_Rewrite", "other")]
    [InlineData("", "other")]
    public void Only_identifier_like_action_types_survive_anonymization(string actionType, string expected) =>
        Assert.Equal(expected, NightlyAnonymization.SafeDimension(actionType));
}
