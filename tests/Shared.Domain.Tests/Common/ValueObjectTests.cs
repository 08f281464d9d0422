using System.Text.RegularExpressions;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Tenants;
using Shared.Domain.Users;
using Xunit;

namespace Shared.Domain.Tests;

public class ValueObjectTests
{
    [Theory]
    [InlineData("demo", true)]
    [InlineData("lekhak-2", true)]
    [InlineData("", false)]
    [InlineData("Demo", false)]
    [InlineData("-demo", false)]
    [InlineData("demo-", false)]
    [InlineData("de mo", false)]
    [InlineData("a/b", false)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)] // 41 characters
    public void Tenant_ids_are_short_lowercase_slugs(string raw, bool valid) => Assert.Equal(valid, TenantId.TryParse(raw, out _));

    [Theory]
    [InlineData("01a200ec-790f-7686-a2c9-be91690ee801", true)]
    [InlineData("01A200EC-790F-7686-A2C9-BE91690EE801", true)]
    [InlineData("01a200ec790f7686a2c9be91690ee801", false)]
    [InlineData("not-a-guid", false)]
    [InlineData("", false)]
    public void User_ids_are_guids_in_their_dashed_form(string raw, bool valid) => Assert.Equal(valid, UserId.TryParse(raw, out _));

    [Fact]
    public void User_ids_are_normalized_to_lower_case() =>
        Assert.Equal(UserId.Parse("01a200ec-790f-7686-a2c9-be91690ee801"), UserId.Parse("01A200EC-790F-7686-A2C9-BE91690EE801"));

    // Test data is written with \uXXXX escapes that Regex.Unescape turns into the characters at run time, so that the
    // test names stay ASCII (and a lone surrogate can be a case at all).
    [Theory]
    [InlineData("  A@B.com ", "a@b.com")]
    [InlineData("first.last+tag@sub.example.org", "first.last+tag@sub.example.org")]
    [InlineData("INCI@Example.COM", "inci@example.com")] // A-Z fold, in the local part and the domain
    [InlineData("kunde@XN--BCHER-KVA.de", "kunde@xn--bcher-kva.de")] // an internationalised domain in its punycode form
    public void Emails_have_one_canonical_spelling(string raw, string expected)
    {
        Assert.True(EmailAddress.TryParse(Regex.Unescape(raw), out var email));
        Assert.Equal(Regex.Unescape(expected), email.Value.Value);
    }

    [Theory]
    [InlineData("\\uff21\\uff2c\\uff29\\uff23\\uff25@example.com")] // fullwidth ALICE: NFKC would fold it into "alice"
    [InlineData("\\ufb01nance@example.com")] // the "fi" ligature: NFKC would fold it into "finance"
    [InlineData("user\\u00b2@example.com")] // superscript two: NFKC would fold it into "2"
    [InlineData("\\u0130nci@example.com")] // Turkish capital dotted I: culture-dependent lower-casing gives "i"
    [InlineData("\\u0131nci@example.com")] // Turkish dotless i: upper-cases to "I" and then folds into "inci"
    [InlineData("e\\u0301lise@example.com")] // a combining accent: NFC would compose it into U+00E9
    [InlineData("\\u00e9lise@example.com")] // the precomposed letter: NFD would decompose it
    [InlineData("alice@\\uff45xample.com")] // a fullwidth letter in the domain
    [InlineData("kunde@b\\u00fccher.de")] // a Unicode domain: send its punycode form (xn--bcher-kva.de)
    [InlineData("ali\\u200dce@example.com")] // an invisible zero-width joiner
    [InlineData("alice\\u202e@example.com")] // a right-to-left override
    [InlineData("kunde@xn--bcher-kva-.de")] // punycode that is not the canonical encoding of a name
    [InlineData("a\\ud800@example.com")] // a lone surrogate
    [InlineData("a@b..com")]
    public void Addresses_that_unicode_folding_could_merge_are_refused_not_folded(string raw) =>
        Assert.False(EmailAddress.TryParse(Regex.Unescape(raw), out _));

    [Fact]
    public void Distinct_addresses_never_become_one()
    {
        // Every pair here would become one address under NFKC or culture-dependent casing; each is either refused or
        // kept apart from the ASCII one.
        string[] lookalikes = ["\\u0130nci@example.com", "\\u0131nci@example.com", "\\uff49nci@example.com", "e\\u0301lise@example.com", "\\u00e9lise@example.com", "\\ufb01nance@example.com"];
        Assert.All(lookalikes, l => Assert.False(EmailAddress.TryParse(Regex.Unescape(l), out _)));
        Assert.True(EmailAddress.TryParse("inci@example.com", out var inci));
        Assert.True(EmailAddress.TryParse("INCI@EXAMPLE.COM", out var shouted));
        Assert.Equal(inci, shouted);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("a@b")]
    [InlineData("a@@b.com")]
    [InlineData("@b.com")]
    [InlineData("a b@c.com")]
    [InlineData("a@b.com.")]
    public void Malformed_emails_are_refused(string raw) => Assert.False(EmailAddress.TryParse(raw, out _));

    [Fact]
    public void Overlong_emails_and_extension_ids_are_refused()
    {
        Assert.False(EmailAddress.TryParse(new string('a', 250) + "@b.com", out _));
        Assert.False(ExtensionId.TryParse(new string('x', ExtensionId.MaxLength + 1), out _));
        Assert.True(ExtensionId.TryParse(new string('x', ExtensionId.MaxLength), out _));
        Assert.False(ExtensionId.TryParse("has space", out _));
        Assert.False(ExtensionId.TryParse("tab\there", out _));
    }

    [Fact]
    public void Request_keys_are_a_kind_letter_and_fixed_length_hex_whatever_the_client_sent()
    {
        var tenant = TenantId.Parse("alpha");
        var user = UserId.New();
        Assert.True(ClientRequestId.TryParse("a\"]) OR 1=1 --", out var nasty));
        Assert.True(ClientRequestId.TryParse("a\"]) OR 1=1 --", out var same));
        Assert.True(ClientRequestId.TryParse("other", out var other));

        Assert.Matches("^i[0-9a-f]{32}$", RequestKey.ForIdentify(tenant, user, nasty.Value).Hash);
        Assert.Equal(RequestKey.ForIdentify(tenant, user, nasty.Value), RequestKey.ForIdentify(tenant, user, same.Value));
        Assert.NotEqual(RequestKey.ForIdentify(tenant, user, nasty.Value), RequestKey.ForIdentify(tenant, user, other.Value));
        Assert.False(ClientRequestId.TryParse(new string('r', ClientRequestId.MaxLength + 1), out _));
        Assert.False(ClientRequestId.TryParse("bell\a", out _));
        Assert.False(ClientRequestId.TryParse("", out _));
    }

    [Fact]
    public void Money_is_minor_units_of_an_iso_currency()
    {
        var price = new Money(999, "USD");

        Assert.Equal(999, price.MinorUnits);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Money(-1, "USD"));
        Assert.Throws<ArgumentException>(() => new Money(1, "usd"));
        Assert.Throws<ArgumentException>(() => new Money(1, "DOLLAR"));
    }

    [Fact]
    public void A_tenant_needs_exactly_one_default_plan_and_an_absolute_upgrade_url()
    {
        var free = new Plan(PlanId.Parse("free"), "Free", Allowance.PerDay(10), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true);
        var pro = new Plan(PlanId.Parse("pro"), "Pro", Allowance.PerMonth(1000), new Money(999, "USD"), new Money(9999, "USD"), []);
        var id = TenantId.Parse("demo");

        Assert.Throws<ArgumentException>(() => new Tenant(id, "Demo", [pro], "https://x.example/u?token={link_token}"));
        Assert.Throws<ArgumentException>(() => new Tenant(id, "Demo", [free, free], "https://x.example/u?token={link_token}"));
        Assert.Throws<ArgumentException>(() => new Tenant(id, "Demo", [free, pro], "/relative?token={link_token}"));

        var tenant = new Tenant(id, "Demo", [free, pro], "https://x.example/u?token={link_token}");
        Assert.Equal(free, tenant.DefaultPlan);
        Assert.Equal("https://x.example/u?token=a%2Bb.c", tenant.UpgradeUrlFor("a+b.c"));
    }

    [Fact]
    public void An_upgrade_url_that_would_carry_the_bare_user_id_is_refused()
    {
        var free = new Plan(PlanId.Parse("free"), "Free", Allowance.PerDay(10), new Money(0, "USD"), new Money(0, "USD"), [], isDefault: true);

        var refused = Assert.Throws<ArgumentException>(() => new Tenant(TenantId.Parse("demo"), "Demo", [free], "https://x.example/u?id={user_id}"));
        Assert.Contains("{link_token}", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://accounts.google.com/.well-known/openid-configuration", true)]
    [InlineData("http://127.0.0.1:7071/api/dev/oidc/.well-known/openid-configuration", true)]
    [InlineData("http://[::1]:8080/.well-known/openid-configuration", true)]
    [InlineData("http://localhost:8080/.well-known/openid-configuration", true)]
    [InlineData("http://issuer.example/.well-known/openid-configuration", false)]
    [InlineData("ftp://issuer.example/x", false)]
    [InlineData("/relative", false)]
    public void An_identity_providers_keys_come_over_https_or_from_a_loopback_issuer(string metadataUrl, bool allowed)
    {
        Assert.Equal(allowed, IdentityProvider.IsAllowedMetadataUrl(metadataUrl));
        if (!allowed)
        {
            Assert.Throws<ArgumentException>(() => new IdentityProvider("https://issuer.example", ["client"], metadataUrl));
        }
    }

    [Fact]
    public void An_identity_provider_needs_an_issuer_and_an_audience_and_defaults_its_metadata_url()
    {
        Assert.Throws<ArgumentException>(() => new IdentityProvider("", ["client"]));
        Assert.Throws<ArgumentException>(() => new IdentityProvider("https://accounts.google.com", []));
        var google = new IdentityProvider("https://accounts.google.com", ["123.apps.googleusercontent.com"], additionalIssuers: ["accounts.google.com"]);
        Assert.Equal("https://accounts.google.com/.well-known/openid-configuration", google.MetadataUrl);
        Assert.True(google.RequireEmailVerified);
        Assert.Equal(["https://accounts.google.com", "accounts.google.com"], google.AllIssuers);
    }
}
