using Microsoft.Extensions.Hosting;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Jobs;

/// <summary>Creates the embedded queue's tables when the main store is Cosmos (local runs with the Cosmos emulator).</summary>
internal sealed class EmbeddedQueueInitializer(SqliteDatabase db) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        db.Initialize();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
