using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Ai;
using Shared.Infrastructure.Hosting;

namespace Shared.Infrastructure.Ai;

/// <summary>The GPT-store AI proxy and campaign text: their options (section <c>AiGeneration</c>), use cases and the per-user limiter. The AI port itself is registered with feature generation (<see cref="AiServices"/>).</summary>
public static class AiProxyRegistration
{
    public static IServiceCollection AddAiProxy(this IServiceCollection services, BackendContext backend)
    {
        var options = backend.Configuration.GetSection("AiGeneration").Get<AiGenerationOptions>() ?? new AiGenerationOptions();
        options.Validate();
        services.AddSingleton(options);
        services.AddSingleton<AiCallerLimiter>();
        services.AddSingleton<GenerateAnswer>();
        services.AddSingleton<WriteCampaignText>();
        return services;
    }
}
