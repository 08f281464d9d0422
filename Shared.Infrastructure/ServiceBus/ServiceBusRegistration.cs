using Microsoft.Extensions.DependencyInjection;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.ServiceBus;

/// <summary>The Service Bus sender's typed <c>HttpClient</c> with its resilience handler.</summary>
public static class ServiceBusRegistration
{
    public const string PipelineName = "servicebus";

    public static IServiceCollection AddServiceBusSender(this IServiceCollection services)
    {
        services.AddHttpClient<ServiceBusRestQueue>(c => c.Timeout = Timeout.InfiniteTimeSpan) // the handler times each attempt
            .AddOutboundResilience(PipelineName, sp => sp.GetRequiredService<ServiceBusOptions>().Resilience());
        return services;
    }
}
