using Shared.Domain.Marketplace;
using Xunit;

namespace Shared.Domain.Tests.Marketplace;

public sealed class SearchTextTests
{
    [Theory]
    [InlineData("Café Résumé", " cafe resume ")]
    [InlineData("CAFÉ—résumé!!  naïve", " cafe resume naive ")]
    [InlineData("  ", "  ")]
    [InlineData("x<script>alert(1)</script>", " x script alert 1 script ")]
    public void Index_is_lower_case_without_accents_or_punctuation(string text, string expected) =>
        Assert.Equal(expected, SearchText.Index(text));

    [Fact]
    public void Patterns_match_whole_words_and_a_prefix_of_the_last()
    {
        var patterns = SearchText.Patterns(SearchText.Words("RESUME wri"));
        Assert.Equal([" resume ", " wri"], patterns);
        Assert.All(patterns, p => Assert.Contains(p, SearchText.Index("Résumé Writer"), StringComparison.Ordinal));
        Assert.DoesNotContain(" resume ", SearchText.Index("Résumés"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_confidence_score_ranks_many_good_ratings_above_one_perfect_one()
    {
        Assert.True(ConfidenceScore.Micros(100, 480) > ConfidenceScore.Micros(1, 5));
        Assert.Equal(3_000_000, ConfidenceScore.Micros(0, 0));
    }
}
