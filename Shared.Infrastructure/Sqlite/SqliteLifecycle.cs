using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Sqlite;

internal sealed class SqliteLifecycle(SqliteDatabase db) : IStoreLifecycle
{
    // The embedded store can always create its own schema, so there is nothing to verify beyond that.
    public Task<StoreCheck> InitializeAsync(CancellationToken cancellationToken)
    {
        db.Initialize();
        return Task.FromResult(StoreCheck.Ready);
    }

    public Task<bool> IsHealthyAsync(CancellationToken cancellationToken) =>
        Task.FromResult(db.Read(c => Equals(SqliteDatabase.Scalar(c, null, "SELECT 1"), 1L)));
}
