namespace Shared.Domain.Accounts;

/// <summary>
/// The cost of new password hashes: PBKDF2 with HMAC-SHA256 at OWASP's current figure (600,000 iterations, Password
/// Storage Cheat Sheet), a 16-byte random salt and a 32-byte derived key. Each stored hash names its own algorithm and
/// parameters, so raising these later rehashes each password at its owner's next successful login.
/// </summary>
public sealed class PasswordHashOptions
{
    public const int ProductionIterations = 600_000;

    public int Iterations { get; set; } = ProductionIterations;
}
