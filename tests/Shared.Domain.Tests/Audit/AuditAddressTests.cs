using Shared.Domain.Audit;
using Xunit;

namespace Shared.Domain.Tests.Audit;

public sealed class AuditAddressTests
{
    [Theory]
    [InlineData("198.51.100.77", "198.51.100.0/24")]
    [InlineData("::ffff:198.51.100.77", "198.51.100.0/24")]
    [InlineData("2001:db8:1:2::5", "2001:db8:1::/48")]
    [InlineData("2001:db8:1:2::/64", "2001:db8:1::/48")] // the request limits' key for an IPv6 caller: widened to /48
    [InlineData("10.1.2.0/16", "10.1.0.0/16")] // already wider than /24: kept
    [InlineData("none", null)]
    [InlineData("2001:db8::/x", null)]
    [InlineData(null, null)]
    public void An_address_is_kept_as_its_network(string? address, string? expected) =>
        Assert.Equal(expected, AuditAddress.Generalise(address));
}
