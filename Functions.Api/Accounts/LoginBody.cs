namespace Functions.Api.Accounts;

/// <summary>The body of <c>POST /auth/login</c>.</summary>
public sealed class LoginBody
{
    public string? Email { get; set; }

    public string? Password { get; set; }
}
