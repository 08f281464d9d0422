using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Sqlite;
using TestSupport;
using Xunit;

namespace Shared.Infrastructure.Tests.Sqlite;

public sealed class SqliteGroupCommitTests : IDisposable
{
    private readonly SqliteDatabase _db = new(Path.Combine(Path.GetTempPath(), $"group-commit-{Guid.NewGuid():N}", "g.db"), new StoreOperationCounter(), DeclaredSchema.SqliteMigrations());

    public SqliteGroupCommitTests() => _db.Initialize();

    [Fact]
    public async Task A_failing_operation_fails_alone_and_leaves_nothing_behind()
    {
        var writes = Enumerable.Range(0, 200).Select(i => _db.WriteAsync(
            w =>
            {
                w.Execute("INSERT INTO tenants (tenant_id, doc, updated_at_ms) VALUES ($t, '{}', 0)", ("$t", $"t{i}"));
                if (i % 10 == 7)
                {
                    throw new InvalidOperationException($"operation {i} fails after writing");
                }

                return i;
            },
            default)).ToList();

        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try
            {
                return (Ok: true, Value: await w);
            }
            catch (InvalidOperationException)
            {
                return (Ok: false, Value: -1);
            }
        }));

        Assert.Equal(180, outcomes.Count(o => o.Ok));
        var stored = _db.Read(c => Convert.ToInt64(SqliteDatabase.Scalar(c, null, "SELECT COUNT(*) FROM tenants"), System.Globalization.CultureInfo.InvariantCulture));
        var leaked = _db.Read(c => Convert.ToInt64(SqliteDatabase.Scalar(c, null, "SELECT COUNT(*) FROM tenants WHERE tenant_id IN ('t7', 't17', 't197')"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(180, stored);
        Assert.Equal(0, leaked);
    }

    [Fact]
    public async Task Results_reach_the_operation_that_asked()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => _db.WriteAsync(w => i * 2, default)));

        Assert.Equal(Enumerable.Range(0, 100).Select(i => i * 2), results);
    }

    public void Dispose() => _db.Dispose();
}
