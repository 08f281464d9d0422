namespace Shared.Domain.Accounts;

/// <summary>What <see cref="PasswordHasher.Verify"/> found.</summary>
public enum PasswordCheck
{
    /// <summary>Wrong password, or a stored hash this version cannot read.</summary>
    Mismatch,

    /// <summary>The password is right and its hash has today's parameters.</summary>
    Match,

    /// <summary>The password is right but its hash is weaker than the configured parameters: store a new one.</summary>
    MatchNeedsRehash,
}
