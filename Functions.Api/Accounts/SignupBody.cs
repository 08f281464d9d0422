namespace Functions.Api.Accounts;

/// <summary>The body of <c>POST /auth/signup</c>.</summary>
public sealed class SignupBody
{
    public string? Email { get; set; }

    public string? Password { get; set; }

    public string? ReferralCode { get; set; }
}
