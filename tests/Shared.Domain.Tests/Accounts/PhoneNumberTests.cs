using Shared.Domain.Accounts;
using Xunit;

namespace Shared.Domain.Tests.Accounts;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+919876543210", "+919876543210")]
    [InlineData(" +91 98765-43210 ", "+919876543210")]
    [InlineData("+1 (415) 555.2671", "+14155552671")]
    public void E164_numbers_parse_to_one_spelling(string raw, string expected)
    {
        Assert.True(PhoneNumber.TryParse(raw, out var phone));
        Assert.Equal(expected, phone.Value.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("9876543210")]
    [InlineData("+0123456789")]
    [InlineData("+1234567")]
    [InlineData("+1234567890123456")]
    [InlineData("+91abc5432100")]
    [InlineData("+91٩٨٧٦٥٤٣٢١٠")]
    [InlineData("++919876543210")]
    public void Anything_else_is_refused(string? raw) => Assert.False(PhoneNumber.TryParse(raw, out _));
}
