namespace Functions.Api.Accounts;

/// <summary>The body of <c>POST /auth/verify-email</c>.</summary>
public sealed class VerifyEmailBody
{
    public string? Email { get; set; }

    public string? Code { get; set; }
}
