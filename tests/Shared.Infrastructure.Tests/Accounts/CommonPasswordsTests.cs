using Shared.Domain.Accounts;
using Shared.Infrastructure.Accounts;
using Xunit;

namespace Shared.Infrastructure.Tests.Accounts;

public sealed class CommonPasswordsTests
{
    private static readonly EmbeddedCommonPasswords Common = new();

    [Fact]
    public void The_shipped_list_holds_zxcvbns_30000_passwords_and_its_source_is_recorded()
    {
        Assert.Equal(30_000, Common.Count);
        var notice = File.ReadAllText(Path.Combine(TestSupport.RepositoryPaths.Root(), "Shared.Infrastructure", "Accounts", "common-passwords.LICENSE.txt"));
        Assert.Contains("zxcvbn@4.4.2", notice, StringComparison.Ordinal);
        Assert.Contains("Permission is hereby granted, free of charge", notice, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qwertyuiop")]
    [InlineData("1234567890")]
    [InlineData("PASSWORD123")]
    public void Common_passwords_of_acceptable_length_are_refused(string password) =>
        Assert.Equal("Is too common or easy to guess; choose another.", new PasswordPolicy(Common).Problem(password, "a@example.com"));

    [Theory]
    [InlineData(null, "Required.")]
    [InlineData("", "Required.")]
    [InlineData("short", "Must be at least 10 characters.")]
    [InlineData("user@example.com", "Is too common or easy to guess; choose another.")]
    public void Short_empty_and_own_email_passwords_are_refused(string? password, string problem) =>
        Assert.Equal(problem, new PasswordPolicy(Common).Problem(password, "User@Example.com"));

    [Fact]
    public void An_uncommon_long_password_passes_and_an_overlong_one_does_not()
    {
        var policy = new PasswordPolicy(Common);

        Assert.Null(policy.Problem("violet-harbour-47-lantern", "a@example.com"));
        Assert.Equal("Must be at most 128 characters.", policy.Problem(new string('x', 129), "a@example.com"));
    }
}
