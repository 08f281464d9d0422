using Shared.Domain.Ai;
using Xunit;

namespace Shared.Domain.Tests.Ai;

/// <summary>What reaches the AI port is plain text by the same rule user-written text elsewhere follows (PlainText).</summary>
public sealed class AiTextTests
{
    [Theory]
    [InlineData("Write a tagline")]
    [InlineData("line one\nline two\r\n\tindented")]
    [InlineData("emoji \U0001F600 paired")]
    public void Plain_text_with_line_breaks_tabs_and_paired_surrogates_passes(string text) => Assert.Null(AiText.Check(text, "prompt", 100));

    [Fact]
    public void Control_characters_and_unpaired_surrogates_are_refused()
    {
        // Built here, not in attributes: metadata strings cannot hold an unpaired surrogate (it would arrive as U+FFFD).
        var bad = new[] { "nul \0 inside", "bell \a", "c1 \u0085 next line", "lone high " + '\ud83d' + " here", "lone low " + '\ude00' + " here", "ends high " + '\ud83d' };
        Assert.All(bad, text => Assert.Equal("prompt", Assert.Single(AiText.Check(text, "prompt", 100)!.Fields!).Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_or_blank_text_is_required(string? text) => Assert.NotNull(AiText.Check(text, "prompt", 100));

    [Fact]
    public void A_text_over_the_length_is_refused() => Assert.NotNull(AiText.Check(new string('a', 101), "prompt", 100));
}
