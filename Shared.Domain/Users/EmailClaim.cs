namespace Shared.Domain.Users;

/// <summary>What became of a proven email offered to a user (<see cref="IUserDirectory.ClaimVerifiedEmailAsync"/>).</summary>
public enum EmailClaim
{
    /// <summary>Nobody had it; it is now the user's verified email.</summary>
    Claimed,

    /// <summary>It already was the user's verified email.</summary>
    AlreadyOwned,

    /// <summary>Another user's verified email: nothing changed.</summary>
    OwnedByAnotherUser,

    /// <summary>The user has a different verified email: nothing changed.</summary>
    UserHasAnotherEmail,
}
