using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Shared.Infrastructure.Hosting;

/// <summary>What every feature's registration (<c>AddQuotas(...)</c> etc.) needs: the store chosen, the configuration, the environment.</summary>
public sealed record BackendContext(StoreProvider Store, IConfiguration Configuration, IHostEnvironment Environment)
{
    /// <summary>Refuses an embedded or local adapter in the Production environment.</summary>
    public void RefuseInProduction(string what)
    {
        if (Environment.IsProduction())
        {
            throw new InvalidOperationException($"{what} is for local runs and tests and is refused in the Production environment. Configure the Azure adapters (see README).");
        }
    }

    /// <summary>A section bound to <typeparamref name="T"/>, or its defaults when the section is absent.</summary>
    public T Options<T>(string section)
        where T : new() => Configuration.GetSection(section).Get<T>() ?? new T();
}
