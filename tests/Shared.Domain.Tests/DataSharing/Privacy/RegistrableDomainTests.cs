using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Shared.Domain.DataSharing.Privacy;
using Xunit;

namespace Shared.Domain.Tests.DataSharing.Privacy;

public sealed partial class RegistrableDomainTests
{
    [Theory]
    [InlineData("docs.example.co.uk", "example.co.uk")]
    [InlineData("https://docs.example.co.uk/a/b?email=someone@x.com#f", "example.co.uk")]
    [InlineData("WWW.Example.COM.", "example.com")]
    [InlineData("a.b.github.io", "b.github.io")]
    [InlineData("http://user:pw@shop.example.de:8080/cart", "example.de")]
    [InlineData("bücher.example.de", "example.de")]
    [InlineData("www.bücher.de", "xn--bcher-kva.de")]
    public void A_host_or_address_reduces_to_its_registrable_domain(string input, string expected) =>
        Assert.Equal(expected, RegistrableDomain.Parse(input).Value);

    [Theory]
    [InlineData("", SiteRefusal.Malformed)]
    [InlineData("someone@example.com", SiteRefusal.Malformed)]
    [InlineData("example.com/path", SiteRefusal.Malformed)]
    [InlineData("chrome-extension://abcdefghijklmnopabcdefghijklmnop/popup.html", SiteRefusal.UnsupportedScheme)]
    [InlineData("http://192.168.1.20/admin", SiteRefusal.IpAddress)]
    [InlineData("10.0.0.1", SiteRefusal.IpAddress)]
    [InlineData("[::1]", SiteRefusal.IpAddress)]
    [InlineData("localhost", SiteRefusal.SpecialUse)]
    [InlineData("johns-laptop.local", SiteRefusal.SpecialUse)]
    [InlineData("printer.lan", SiteRefusal.UnlistedTopLevelDomain)]
    [InlineData("co.uk", SiteRefusal.PublicSuffix)]
    [InlineData("github.io", SiteRefusal.PublicSuffix)]
    public void Addresses_that_name_no_site_are_refused_with_a_reason(string input, SiteRefusal expected)
    {
        Assert.False(RegistrableDomain.TryParse(input, out _, out var refusal));
        Assert.Equal(expected, refusal);
    }

    /// <summary>
    /// The list's own test cases (test_psl.txt from publicsuffix.org). Two deliberate differences, documented on
    /// <see cref="PublicSuffixList"/>: unlisted and special-use top-level domains are refused instead of yielding a domain.
    /// </summary>
    [Fact]
    public void The_shipped_list_passes_the_lists_own_test_cases()
    {
        var checkedCases = 0;
        foreach (Match m in CheckLine().Matches(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "DataSharing", "Privacy", "test_psl.txt"))))
        {
            var input = m.Groups["in"].Value == "null" ? null : m.Groups["in"].Value.Trim('\'');
            var expected = m.Groups["out"].Value == "null" ? null : m.Groups["out"].Value.Trim('\'');
            var ok = RegistrableDomain.TryParse(input, out var domain, out var refusal);
            if (expected is null)
            {
                Assert.False(ok, $"{input} should have no registrable domain, got {domain}");
            }
            else if (refusal is SiteRefusal.UnlistedTopLevelDomain or SiteRefusal.SpecialUse)
            {
                Assert.True(expected.EndsWith(".example", StringComparison.Ordinal) || expected.EndsWith(".local", StringComparison.Ordinal), expected);
            }
            else
            {
                Assert.True(ok, $"{input}: {refusal}");
                Assert.Equal(new System.Globalization.IdnMapping().GetAscii(expected), domain!.Value.Value);
            }

            checkedCases++;
        }

        Assert.True(checkedCases > 60, $"only {checkedCases} cases read");
    }

    [Fact]
    public void The_shipped_file_is_the_one_whose_source_and_date_are_recorded()
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PublicSuffixList.ReadShippedText())));
        Assert.Equal(PublicSuffixList.ShippedSha256, sha);
        Assert.True(PublicSuffixList.Default.RuleCount > 9000);
    }

    [Theory]
    [InlineData("Please add a dark theme", FeatureCategory.DarkMode)]
    [InlineData("block these annoying ads", FeatureCategory.AdBlocking)]
    [InlineData("make the font size bigger", FeatureCategory.Accessibility)]
    [InlineData("summarize this article", FeatureCategory.Reading)]
    [InlineData("hide the sidebar", FeatureCategory.Layout)]
    [InlineData("call me on +44 7700 900123", FeatureCategory.Other)]
    [InlineData("", FeatureCategory.Other)]
    public void Feature_requests_are_categorized_by_keywords(string text, FeatureCategory expected) =>
        Assert.Equal(expected, FeatureRequestCategorizer.CategorizeFeatureRequest(text));

    [GeneratedRegex(@"checkPublicSuffix\((?<in>null|'[^']*'), (?<out>null|'[^']*')\);")]
    private static partial Regex CheckLine();
}
