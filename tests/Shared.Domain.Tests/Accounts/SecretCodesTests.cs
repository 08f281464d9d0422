using Shared.Domain.Accounts;
using Xunit;

namespace Shared.Domain.Tests.Accounts;

public sealed class SecretCodesTests
{
    [Fact]
    public void Codes_are_six_digits_and_stored_only_salted_and_hashed()
    {
        var code = SecretCodes.NewCode();
        var salt = SecretCodes.NewSalt();
        var hash = SecretCodes.HashCode(salt, code);

        Assert.True(SecretCodes.IsWellFormedCode(code));
        Assert.DoesNotContain(code, hash, StringComparison.Ordinal);
        Assert.True(SecretCodes.CodeMatches(salt, hash, code));
        Assert.False(SecretCodes.CodeMatches(SecretCodes.NewSalt(), hash, code));
        Assert.NotEqual(hash, SecretCodes.HashCode(SecretCodes.NewSalt(), code));
    }

    [Fact]
    public void Refresh_tokens_carry_256_bits_and_are_found_by_their_hash()
    {
        var token = SecretCodes.NewRefreshToken();

        Assert.True(SecretCodes.IsWellFormedRefreshToken(token));
        Assert.NotEqual(token, SecretCodes.NewRefreshToken());
        Assert.Equal(64, SecretCodes.HashToken(token).Length);
        Assert.False(SecretCodes.IsWellFormedRefreshToken(token[..^1]));
        Assert.False(SecretCodes.IsWellFormedRefreshToken(token[..^1] + "!"));
    }
}
