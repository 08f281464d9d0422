using System.Reflection;

namespace Shared.Infrastructure.Accounts;

/// <summary>
/// The 30,000 most common passwords of zxcvbn 4.4.2's list (embedded file common-passwords.txt; source and MIT
/// licence in common-passwords.LICENSE.txt), compared without regard to ASCII case.
/// </summary>
public sealed class EmbeddedCommonPasswords : Domain.Accounts.ICommonPasswords
{
    public const string ResourceName = "Shared.Infrastructure.Accounts.common-passwords.txt";

    private readonly HashSet<string> _passwords = Load();

    public int Count => _passwords.Count;

    public bool Contains(string password) => _passwords.Contains(password);

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line);
            }
        }

        return set;
    }
}
