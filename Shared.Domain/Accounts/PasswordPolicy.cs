namespace Shared.Domain.Accounts;

/// <summary>
/// What a new password must be (NIST SP 800-63B's rules, no composition rules): at least <see cref="MinLength"/>
/// characters, at most <see cref="MaxLength"/> (bounds the hashing work one request can ask for), not on the common
/// password list, and not the email address itself.
/// </summary>
public sealed class PasswordPolicy(ICommonPasswords common)
{
    public const int MinLength = 10;
    public const int MaxLength = 128;

    /// <summary>Null when acceptable; else why not (for the 400 answer's field error).</summary>
    public string? Problem(string? password, string? email)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "Required.";
        }

        if (password.Length < MinLength)
        {
            return $"Must be at least {MinLength} characters.";
        }

        if (password.Length > MaxLength)
        {
            return $"Must be at most {MaxLength} characters.";
        }

        if (common.Contains(password) || (email is not null && string.Equals(password.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            return "Is too common or easy to guess; choose another.";
        }

        return null;
    }
}
