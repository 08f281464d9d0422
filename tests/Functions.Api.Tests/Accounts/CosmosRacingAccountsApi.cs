namespace Functions.Api.Tests.Accounts;

public sealed class CosmosRacingAccountsApi : IDisposable
{
    private RacingAccountsFactory? _factory;

    public RacingAccountsFactory Factory => _factory ??= new RacingAccountsFactory(StoreKind.Cosmos);

    public void Dispose() => _factory?.Dispose();
}
