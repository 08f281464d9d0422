using Shared.Domain.Common;
using Xunit;

namespace Shared.Domain.Tests;

public sealed class IdempotencyKeyTests
{
    [Theory]
    [InlineData("k")]
    [InlineData("order-42 retry")]
    public void Printable_keys_up_to_the_maximum_are_accepted(string raw)
    {
        Assert.True(IdempotencyKey.TryCreate(raw, out var key, out var problem));
        Assert.Null(problem);
        Assert.Equal(raw, key.Value);
        Assert.True(IdempotencyKey.TryCreate(new string('k', IdempotencyKey.MaxLength), out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tab\tinside")]
    [InlineData("line\nbreak")]
    public void Empty_keys_and_control_characters_are_refused(string raw)
    {
        Assert.False(IdempotencyKey.TryCreate(raw, out _, out var problem));
        Assert.Equal("At most 128 printable characters.", problem);
    }

    [Fact]
    public void A_key_longer_than_the_maximum_is_refused() =>
        Assert.False(IdempotencyKey.TryCreate(new string('k', IdempotencyKey.MaxLength + 1), out _, out _));
}
