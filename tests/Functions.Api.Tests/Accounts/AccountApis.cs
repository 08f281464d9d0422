namespace Functions.Api.Tests;

/// <summary>
/// The app for the accounts scenarios: password hashing at a test cost (1,000 iterations; one test elsewhere runs the
/// production default) and the defaults of every limit, each store once per test class.
/// </summary>
public static class AccountApis
{
    public const int TestIterations = 2_000;

    public static Dictionary<string, string?> Settings => new() { ["Accounts:Passwords:Iterations"] = TestIterations.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}

public sealed class SqliteAccountsApi : IDisposable
{
    public ApiFactory Factory { get; } = new(StoreKind.Sqlite, AccountApis.Settings);

    public void Dispose() => Factory.Dispose();
}

public sealed class CosmosAccountsApi : IDisposable
{
    private ApiFactory? _factory;

    public ApiFactory Factory => _factory ??= new ApiFactory(StoreKind.Cosmos, AccountApis.Settings);

    public void Dispose() => _factory?.Dispose();
}
