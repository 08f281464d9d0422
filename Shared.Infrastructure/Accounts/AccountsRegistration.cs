using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Accounts;
using Shared.Domain.Privacy;
using Shared.Infrastructure.Cosmos;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Messaging;
using Shared.Infrastructure.Sqlite;

namespace Shared.Infrastructure.Accounts;

/// <summary>Accounts (password sign-up and login, refresh sessions, phone OTP): the store for the chosen provider, the senders, the use cases.</summary>
public static class AccountsRegistration
{
    public static IServiceCollection AddAccounts(this IServiceCollection services, BackendContext backend)
    {
        switch (backend.Store)
        {
            case StoreProvider.Sqlite:
                services.AddSqliteMigrations(AccountsSqliteMigrations.All);
                services.AddSingleton<IAccountStore, SqliteAccountStore>();
                services.AddSingleton<ILinkedInstallations, SqliteLinkedInstallations>();
                services.AddSingleton<IPersonalDataStore>(sp => new SqlitePersonalData(
                    sp.GetRequiredService<SqliteDatabase>(),
                    "accounts",
                    [new("credentials", "credential"), new("phones", "phone"), new("verification_codes", "verification_code"), new("refresh_families", "refresh_family"), new("refresh_tokens", "refresh_token")]));
                break;
            case StoreProvider.Cosmos:
                services.AddCosmosContainers(CosmosContainers.Lookups);
                services.AddSingleton<IAccountStore, CosmosAccountStore>();
                services.AddSingleton<ILinkedInstallations, CosmosLinkedInstallations>();
                services.AddSingleton<IPersonalDataStore>(sp => new CosmosPersonalData(
                    sp.GetRequiredService<CosmosDatabase>(),
                    "accounts",
                    [new(CosmosContainers.Lookups, "account", ["credential", "phone", "code", "refresh_family", "refresh_token"], UserField: "user_id")]));
                break;
        }

        services.AddMessaging(backend);
        var options = backend.Options<AccountOptions>("Accounts");
        services.AddSingleton(options);
        services.AddSingleton(options.Passwords);
        services.AddSingleton<ICommonPasswords, EmbeddedCommonPasswords>();
        services.AddSingleton<PasswordPolicy>();
        services.AddSingleton<PasswordHasher>();
        services.AddSingleton<IPasswordHasher>(sp => sp.GetRequiredService<PasswordHasher>());
        // Erasure's re-authentication: the fresh-token rule plus the password for accounts that have one (the last
        // IReauthentication registered wins; the users feature registers the plain rule before this).
        services.AddSingleton<IReauthentication>(sp => new PasswordReauthentication(sp.GetRequiredService<FreshTokenReauthentication>(), sp.GetRequiredService<IAccountStore>(), sp.GetRequiredService<IPasswordHasher>()));
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<SendThrottle>();
        services.AddSingleton<OneTimeCodes>();
        services.AddSingleton<AccountAudit>();
        services.AddSingleton<ErasureRecheck>();
        services.AddSingleton<Sessions>();
        services.AddSingleton<SignUp>();
        services.AddSingleton<VerifyEmail>();
        services.AddSingleton<Login>();
        services.AddSingleton<RequestEmailChange>();
        services.AddSingleton<SendOtp>();
        services.AddSingleton<VerifyOtp>();
        return services;
    }
}
