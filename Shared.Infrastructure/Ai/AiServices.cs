using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Azure.Core;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using Shared.Domain.Ai;
using Shared.Infrastructure.Diagnostics;
using Shared.Infrastructure.Hosting;
using Shared.Infrastructure.Secrets;
using MeaiChatClient = Microsoft.Extensions.AI.IChatClient;

namespace Shared.Infrastructure.Ai;

/// <summary>
/// Feature generation as a Microsoft.Extensions.AI pipeline, outermost first: the tenant prompt cache (HybridCache),
/// our per-tenant rate limit, OpenTelemetry (spans and metrics under the backend's source and meter name), the mapping
/// of provider failures to the domain's transient/non-transient kinds, and the provider's chat client (OpenAI-compatible,
/// Azure OpenAI with Entra ID, or the offline template). The OpenAI clients send through an <c>HttpClient</c> whose
/// resilience handler (retry honouring Retry-After, circuit breaker, attempt timeout) runs on the injected clock; their
/// own retry policy is off so the two do not multiply.
/// </summary>
public static class AiServices
{
    /// <summary>The keyed service of the provider's own chat client, below every middleware (tests put a scripted one here).</summary>
    public const string ProviderKey = "ai-provider";

    public const string HttpClientName = "ai";

    /// <summary>Entra ID scope of Azure OpenAI (Cognitive Services).</summary>
    public const string AzureOpenAIScope = "https://cognitiveservices.azure.com/.default";

    public static IServiceCollection AddAiGeneration(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var ai = configuration.GetSection("Ai").Get<AiOptions>() ?? new AiOptions();
        services.AddSingleton(ai);

        // L1: the app's IMemoryCache (it expires by the injected clock); L2: whatever IDistributedCache is registered.
        services.AddHybridCache();

        string providerName;
        switch (ai.Provider)
        {
            case AiOptions.OfflineProvider:
                if (environment.IsProduction())
                {
                    throw new InvalidOperationException("Ai:Provider=Offline (the offline AI provider) is for local runs and tests and is refused in the Production environment. Configure the Azure adapters (see README).");
                }

                providerName = OfflineChatClient.ProviderName;
                services.AddKeyedSingleton<MeaiChatClient>(ProviderKey, (_, _) => new OfflineChatClient());
                break;
            case AiOptions.OpenAIProvider:
                providerName = "openai";
                AddProviderHttpClient(services, ai);
                services.AddKeyedSingleton<MeaiChatClient>(ProviderKey, (sp, _) =>
                {
                    var baseUrl = ai.BaseUrl.EndsWith('/') ? ai.BaseUrl : ai.BaseUrl + "/";
                    var options = ClientOptions(new OpenAIClientOptions { Endpoint = new Uri(baseUrl) }, sp);
                    var key = new ApiKeyCredential("set-before-each-call");
                    return new SecretKeyChatClient(new ChatClient(ai.Model, key, options).AsIChatClient(), key, sp.GetRequiredService<ISecretProvider>(), ai.ApiKeySecret);
                });
                break;
            case AiOptions.AzureOpenAIProvider:
                if (!Uri.TryCreate(ai.AzureEndpoint, UriKind.Absolute, out var endpoint))
                {
                    throw new InvalidOperationException("Ai:AzureEndpoint (https://<resource>.openai.azure.com/) is required when Ai:Provider=AzureOpenAI.");
                }

                providerName = "azure-openai";
                AddProviderHttpClient(services, ai);
                services.AddKeyedSingleton<MeaiChatClient>(ProviderKey, (sp, _) =>
                {
                    // The app's managed identity (DefaultAzureCredential) unless a credential is registered (tests, Service Bus).
                    var credential = sp.GetService<TokenCredential>() ?? new Azure.Identity.DefaultAzureCredential();
                    var options = ClientOptions(new AzureOpenAIClientOptions(), sp);
                    return new AzureOpenAIClient(endpoint, credential, options).GetChatClient(ai.Model).AsIChatClient();
                });
                break;
            default:
                throw new InvalidOperationException($"Ai:Provider must be \"{AiOptions.OfflineProvider}\", \"{AiOptions.OpenAIProvider}\" or \"{AiOptions.AzureOpenAIProvider}\" (was \"{ai.Provider}\").");
        }

        services.AddSingleton(sp => BuildPipeline(sp.GetRequiredKeyedService<MeaiChatClient>(ProviderKey), sp, ai));
        services.AddSingleton<IAiProvider>(sp => new ChatClientAiProvider(sp.GetRequiredService<MeaiChatClient>(), providerName, ai));
        return services;
    }

    /// <summary>The middleware around <paramref name="provider"/>, outermost first.</summary>
    public static MeaiChatClient BuildPipeline(MeaiChatClient provider, IServiceProvider services, AiOptions ai)
    {
        var time = services.GetRequiredService<TimeProvider>();
        return new ChatClientBuilder(provider)
            .Use(inner => new TenantPromptCacheChatClient(inner, services.GetRequiredService<HybridCache>(), TimeSpan.FromMinutes(Math.Max(0, ai.CacheTtlMinutes))))
            .Use(inner => new TenantRateLimitingChatClient(inner, ai.RequestsPerMinutePerTenant, time))
            .UseOpenTelemetry(services.GetService<ILoggerFactory>(), Telemetry.SourceName)
            .Use(inner => new ProviderFailureChatClient(inner, time, TimeSpan.FromSeconds(ai.TimeoutSeconds)))
            .Build(services);
    }

    /// <summary>The resilience of one generation attempt's HTTP call (see <see cref="OutboundHttpResilience"/>).</summary>
    public static OutboundHttpOptions Resilience(AiOptions ai) => new()
    {
        MaxRetries = ai.MaxRetries,
        FirstRetryDelay = TimeSpan.FromMilliseconds(ai.RetryDelayMilliseconds),
        AttemptTimeout = TimeSpan.FromSeconds(ai.TimeoutSeconds),
        MaxRetryAfter = TimeSpan.FromSeconds(ai.MaxRetryAfterSeconds),
    };

    private static void AddProviderHttpClient(IServiceCollection services, AiOptions ai) =>
        services.AddHttpClient(HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan) // the pipeline times each attempt
            .AddOutboundResilience(HttpClientName, _ => Resilience(ai));

    private static T ClientOptions<T>(T options, IServiceProvider services)
        where T : ClientPipelineOptions
    {
        options.Transport = new HttpClientPipelineTransport(services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName));
        options.RetryPolicy = new ClientRetryPolicy(maxRetries: 0); // retries are the resilience handler's (on our clock)
        options.NetworkTimeout = Timeout.InfiniteTimeSpan; // so is the timeout
        return options;
    }
}
