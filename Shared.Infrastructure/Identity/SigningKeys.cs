using Microsoft.IdentityModel.Tokens;

namespace Shared.Infrastructure.Identity;

/// <summary>
/// The keys made from one reading of the signing secrets: access tokens are signed with the current key and validated
/// with the current and the previous one (rotation); upgrade-link tokens use keys derived from the same secrets for
/// that purpose alone, so neither kind of token can ever be taken for the other, whatever a validator checks.
/// </summary>
public sealed class SigningKeys(SecurityKey accessSigning, IReadOnlyList<SecurityKey> accessValidation, SecurityKey linkSigning, IReadOnlyList<SecurityKey> linkValidation)
{
    public SecurityKey AccessSigning { get; } = accessSigning;

    public IReadOnlyList<SecurityKey> AccessValidation { get; } = accessValidation;

    public SecurityKey LinkSigning { get; } = linkSigning;

    public IReadOnlyList<SecurityKey> LinkValidation { get; } = linkValidation;
}
