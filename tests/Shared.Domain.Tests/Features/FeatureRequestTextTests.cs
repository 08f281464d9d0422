using Shared.Domain.Features;
using Xunit;

namespace Shared.Domain.Tests;

/// <summary>The request text's invariants live in its value object, so no use case can hold an invalid one.</summary>
public sealed class FeatureRequestTextTests
{
    [Theory]
    [InlineData("  Add a dark mode  ", "Add a dark mode")]
    [InlineData("line one\nline two\tand a tab", "line one\nline two\tand a tab")]
    public void Valid_text_is_kept_trimmed(string raw, string expected)
    {
        Assert.True(FeatureRequestText.TryCreate(raw, out var text, out var problem));
        Assert.Null(problem);
        Assert.Equal(expected, text.Value);
    }

    [Theory]
    [InlineData(null, "Describe the feature you want.")]
    [InlineData("   ", "Describe the feature you want.")]
    [InlineData("bell\u0007", "Must not contain control characters.")]
    public void Empty_text_or_control_characters_are_refused_with_why(string? raw, string expected)
    {
        Assert.False(FeatureRequestText.TryCreate(raw, out _, out var problem));
        Assert.Equal(expected, problem);
        Assert.Throws<ArgumentException>(() => FeatureRequestText.Parse(raw!));
    }

    [Fact]
    public void Text_longer_than_the_maximum_is_refused_and_the_maximum_is_accepted()
    {
        Assert.True(FeatureRequestText.TryCreate(new string('a', FeatureRequest.MaxTextLength), out _, out _));
        Assert.False(FeatureRequestText.TryCreate(new string('a', FeatureRequest.MaxTextLength + 1), out _, out var problem));
        Assert.Equal($"At most {FeatureRequest.MaxTextLength} characters.", problem);
    }
}
