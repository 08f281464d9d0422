namespace Functions.Api.Tests.Accounts;

public sealed class SqliteRacingAccountsApi : IDisposable
{
    public RacingAccountsFactory Factory { get; } = new(StoreKind.Sqlite);

    public void Dispose() => Factory.Dispose();
}
