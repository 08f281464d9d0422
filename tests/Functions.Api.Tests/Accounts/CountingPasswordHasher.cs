using Shared.Domain.Accounts;

namespace Functions.Api.Tests.Accounts;

/// <summary>The real hasher, counting the slow derivations it runs (what an anonymous caller could make the server spend).</summary>
public sealed class CountingPasswordHasher(IPasswordHasher inner) : IPasswordHasher
{
    private int _verifies;

    public int Verifies => Volatile.Read(ref _verifies);

    public string Hash(string password) => inner.Hash(password);

    public PasswordCheck Verify(string password, string stored)
    {
        Interlocked.Increment(ref _verifies);
        return inner.Verify(password, stored);
    }

    public void WasteEqualTime(string password)
    {
        Interlocked.Increment(ref _verifies);
        inner.WasteEqualTime(password);
    }
}
