namespace Functions.Api.Accounts;

/// <summary>The body of <c>POST /auth/verify-email</c>.</summary>
public sealed class VerifyEmailBody
{
    public string? Email { get; set; }

    public string? Code { get; set; }

    /// <summary>The password of the sign-up that sent the code (required to prove a sign-up; not for a change of address).</summary>
    public string? Password { get; set; }
}
