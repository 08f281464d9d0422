namespace Functions.Api.Accounts;

/// <summary>The body of <c>POST /auth/refresh and POST /auth/logout</c>.</summary>
public sealed class RefreshBody
{
    public string? RefreshToken { get; set; }
}
