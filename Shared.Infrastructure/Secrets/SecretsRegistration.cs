using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Secrets;

/// <summary>Where secrets come from: Key Vault, or the configuration (local runs only).</summary>
public static class SecretsRegistration
{
    public static IServiceCollection AddSecrets(this IServiceCollection services, BackendContext backend)
    {
        var secrets = backend.Configuration["Secrets:Provider"] ?? "Configuration";
        switch (secrets)
        {
            case "Configuration":
                backend.RefuseInProduction("Secrets:Provider=Configuration (local secrets)");
                services.AddSingleton<ISecretProvider, ConfigurationSecretProvider>();
                break;
            case "KeyVault":
                var vault = backend.Configuration["KeyVault:Uri"] ?? throw new InvalidOperationException("KeyVault:Uri is required when Secrets:Provider=KeyVault.");
                services.AddSingleton<ISecretProvider>(sp => new KeyVaultSecretProvider(new Uri(vault), sp.GetRequiredService<TimeProvider>(), TimeSpan.FromMinutes(10)));
                break;
            default:
                throw new InvalidOperationException($"Secrets:Provider must be \"Configuration\" or \"KeyVault\" (was \"{secrets}\").");
        }

        return services;
    }
}
