using Shared.Domain.Accounts;
using Xunit;

namespace Shared.Domain.Tests.Accounts;

public sealed class PasswordHasherTests
{
    private static PasswordHasher Cheap(int iterations = 1_000) => new(new PasswordHashOptions { Iterations = iterations });

    [Fact]
    public void The_production_default_is_owasps_600000_iterations_and_a_hash_made_with_it_verifies()
    {
        var hasher = new PasswordHasher(new PasswordHashOptions());

        var hash = hasher.Hash("correct horse battery staple");

        Assert.Equal(600_000, hasher.Iterations);
        Assert.StartsWith("pbkdf2-sha256$600000$", hash, StringComparison.Ordinal);
        Assert.Equal(PasswordCheck.Match, hasher.Verify("correct horse battery staple", hash));
        Assert.Equal(PasswordCheck.Mismatch, hasher.Verify("correct horse battery stapl", hash));
    }

    [Fact]
    public void Each_hash_has_its_own_salt_and_names_its_parameters()
    {
        var hasher = Cheap();

        var a = hasher.Hash("same password here");
        var b = hasher.Hash("same password here");

        Assert.NotEqual(a, b);
        var parts = a.Split('$');
        Assert.Equal(["pbkdf2-sha256", "1000"], parts[..2]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
    }

    [Fact]
    public void A_hash_made_under_lower_parameters_still_verifies_and_asks_for_a_rehash()
    {
        var old = Cheap(1_000).Hash("a long enough password");
        var raised = Cheap(2_000);

        Assert.Equal(PasswordCheck.MatchNeedsRehash, raised.Verify("a long enough password", old));
        Assert.Equal(PasswordCheck.Mismatch, raised.Verify("another password!!", old));
        Assert.Equal(PasswordCheck.Match, raised.Verify("a long enough password", raised.Hash("a long enough password")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("bcrypt$10$abc$def")]
    [InlineData("pbkdf2-sha256$abc$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$999999999$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$not base64!$AAAA")]
    [InlineData("pbkdf2-sha256$1000$AAAA$")]
    public void A_stored_hash_it_cannot_read_never_matches(string stored) =>
        Assert.Equal(PasswordCheck.Mismatch, Cheap().Verify("whatever password", stored));

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(20_000_000)]
    public void Absurd_iteration_counts_are_refused_at_start(int iterations) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Cheap(iterations));
}
