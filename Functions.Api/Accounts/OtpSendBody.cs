namespace Functions.Api.Accounts;

/// <summary>The body of <c>POST /auth/otp/send</c>.</summary>
public sealed class OtpSendBody
{
    public string? Phone { get; set; }
}
