namespace Shared.Domain.Accounts;

/// <summary>The stored names of <see cref="CodePurpose"/> (never renamed: rows and documents carry them).</summary>
public static class CodePurposeText
{
    public static string Format(CodePurpose purpose) => purpose switch
    {
        CodePurpose.Signup => "signup",
        CodePurpose.ChangeEmail => "change_email",
        CodePurpose.Phone => "phone",
        _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, null),
    };
}
