using Microsoft.Extensions.DependencyInjection;

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

    /// <summary>The migrations declared so far (what the database will apply), in registration order.</summary>
    public static IReadOnlyList<SqliteMigration> DeclaredSqliteMigrations(this IServiceCollection services) =>
        [.. services.Where(d => d.ServiceType == typeof(SqliteMigration)).Select(d => (SqliteMigration)d.ImplementationInstance!).Distinct()];
}
