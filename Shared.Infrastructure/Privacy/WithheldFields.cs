namespace Shared.Infrastructure.Privacy;

/// <summary>
/// Stored secrets that a personal-data export never contains, whatever feature stores them: password hashes, one-time
/// code hashes and their salts, refresh-token hashes. They are about the user but are credentials, not information:
/// handing a live code's salt and hash to whoever holds an access token lets them try all 10^6 codes offline (an
/// unverified sign-up could then prove someone else's address). The export shows that the field exists, not its value.
/// </summary>
public static class WithheldFields
{
    public const string Placeholder = "[withheld]";

    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "password_hash",
        "pending_password_hash",
        "salt",
        "code_hash",
        "token_hash",
    };

    public static bool IsWithheld(string name) => Names.Contains(name);
}
