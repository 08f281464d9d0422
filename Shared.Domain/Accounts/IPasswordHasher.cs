namespace Shared.Domain.Accounts;

/// <summary>
/// Slow password hashing (<see cref="PasswordHasher"/>). A port so that what each use case spends on hashing can be
/// counted: every call costs a full key derivation, which is what an anonymous caller must not be able to multiply.
/// </summary>
public interface IPasswordHasher
{
    /// <summary>A new salted hash of the password, under today's parameters.</summary>
    string Hash(string password);

    /// <summary>Whether the password matches the stored hash (and whether that hash should be renewed).</summary>
    PasswordCheck Verify(string password, string stored);

    /// <summary>Spends the same time as a real check, so an unknown account answers as slowly as a known one.</summary>
    void WasteEqualTime(string password);
}
