namespace Shared.Domain.Accounts;

/// <summary>What a one-time code proves. One live code per purpose and target (email or phone): a resend replaces it.</summary>
public enum CodePurpose
{
    /// <summary>The email a new account signed up with.</summary>
    Signup,

    /// <summary>A new email a signed-in user asked to move to.</summary>
    ChangeEmail,

    /// <summary>A phone number (OTP sign-in).</summary>
    Phone,
}
