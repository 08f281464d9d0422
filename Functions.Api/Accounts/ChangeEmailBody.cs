namespace Functions.Api.Accounts;

/// <summary>The body of <c>POST /auth/change-email</c>.</summary>
public sealed class ChangeEmailBody
{
    public string? Email { get; set; }
}
