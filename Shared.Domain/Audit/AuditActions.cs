namespace Shared.Domain.Audit;

/// <summary>The audit log's action names (stable, snake_case with a dot: clients filter on them).</summary>
public static class AuditActions
{
    public const string Signup = "auth.signup";
    public const string EmailVerified = "auth.email_verified";
    public const string Login = "auth.login";
    public const string LoginFailed = "auth.login_failed";
    public const string Lockout = "auth.lockout";
    public const string RefreshReuse = "auth.refresh_reuse";
    public const string Logout = "auth.logout";
    public const string OtpVerified = "auth.otp_verified";
    public const string OtpFailed = "auth.otp_failed";
    public const string RoleGranted = "admin.role_granted";
    public const string RoleRevoked = "admin.role_revoked";
    public const string Refund = "admin.refund";
    public const string DataExport = "privacy.export";
    public const string Erasure = "privacy.erasure";
}
