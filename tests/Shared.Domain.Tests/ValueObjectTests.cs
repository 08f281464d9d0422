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

    [Theory]
    [InlineData("  A@B.com ", "a@b.com")]
    [InlineData("first.last+tag@sub.example.org", "first.last+tag@sub.example.org")]
    public void Emails_are_trimmed_and_lower_cased(string raw, string expected)
    {
        Assert.True(EmailAddress.TryParse(raw, out var email));
        Assert.Equal(expected, email.Value.Value);
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

        Assert.Throws<ArgumentException>(() => new Tenant(id, "Demo", [pro], "https://x.example/u?id={user_id}"));
        Assert.Throws<ArgumentException>(() => new Tenant(id, "Demo", [free, free], "https://x.example/u?id={user_id}"));
        Assert.Throws<ArgumentException>(() => new Tenant(id, "Demo", [free, pro], "/relative?id={user_id}"));

        var tenant = new Tenant(id, "Demo", [free, pro], "https://x.example/u?id={user_id}");
        Assert.Equal(free, tenant.DefaultPlan);
        Assert.Equal("https://x.example/u?id=01a200ec-790f-7686-a2c9-be91690ee801", tenant.UpgradeUrlFor(UserId.Parse("01a200ec-790f-7686-a2c9-be91690ee801")));
    }
}
