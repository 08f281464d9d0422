namespace Functions.Api.Accounts;

/// <summary>The body of <c>POST /auth/otp/verify</c>.</summary>
public sealed class OtpVerifyBody
{
    public string? Phone { get; set; }

    public string? Code { get; set; }
}
