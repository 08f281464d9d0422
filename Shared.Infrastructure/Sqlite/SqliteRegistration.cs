using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Sqlite;

/// <summary>How features declare their SQLite schema: the database applies what was declared (see <see cref="SqliteMigrationRunner"/>).</summary>
public static class SqliteRegistration
{
    /// <summary>Declares a feature's migrations; the embedded store's file gets them at start-up.</summary>
    public static IServiceCollection AddSqliteMigrations(this IServiceCollection services, IEnumerable<SqliteMigration> migrations)
    {
        foreach (var migration in migrations)
        {
            services.AddSingleton(migration);
        }

        return services;
    }

    /// <summary>The embedded store's file (Sqlite:Path, relative to the content root), with every migration the features declare.</summary>
    public static IServiceCollection AddSqliteDatabase(this IServiceCollection services, BackendContext backend) =>
        services.AddSingleton(sp =>
        {
            var options = backend.Options<SqliteOptions>("Sqlite");
            var path = Path.IsPathRooted(options.Path) ? options.Path : Path.Combine(backend.Environment.ContentRootPath, options.Path);
            return new SqliteDatabase(path, sp.GetRequiredService<StoreOperationCounter>(), sp.GetServices<SqliteMigration>(), sp.GetRequiredService<TimeProvider>());
        });

    /// <summary>The migrations declared so far (what the database will apply), in registration order.</summary>
    public static IReadOnlyList<SqliteMigration> DeclaredSqliteMigrations(this IServiceCollection services) =>
        [.. services.Where(d => d.ServiceType == typeof(SqliteMigration)).Select(d => (SqliteMigration)d.ImplementationInstance!).Distinct()];
}
