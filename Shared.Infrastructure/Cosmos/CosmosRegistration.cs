using Microsoft.Extensions.DependencyInjection;

namespace Shared.Infrastructure.Cosmos;

/// <summary>
/// How features declare the Cosmos DB containers they use: the database creates or verifies exactly the union of what
/// was declared (several features share a container, e.g. <c>users</c>; each declares it).
/// </summary>
public static class CosmosRegistration
{
    public static IServiceCollection AddCosmosContainers(this IServiceCollection services, params ContainerSpec[] containers)
    {
        foreach (var container in containers)
        {
            services.AddSingleton(container);
        }

        return services;
    }

    /// <summary>The containers declared so far, each once, in the order first declared.</summary>
    public static IReadOnlyList<ContainerSpec> DeclaredCosmosContainers(this IServiceCollection services) =>
        [.. services.Where(d => d.ServiceType == typeof(ContainerSpec)).Select(d => (ContainerSpec)d.ImplementationInstance!).Distinct()];
}
