namespace Shared.Infrastructure.Tests.Invoices;

public sealed class SqliteInvoiceTests : InvoiceScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.SqliteAsync(time);
}

[CosmosStore]
public sealed class CosmosInvoiceTests : InvoiceScenarios
{
    protected override Task<StoreSet> StoreAsync(TimeProvider? time = null) => StoreSet.CosmosAsync(time);
}
