namespace Shared.Domain.Accounts;

/// <summary>Passwords too common to accept (a list shipped with the app; see README, "Accounts").</summary>
public interface ICommonPasswords
{
    bool Contains(string password);
}
