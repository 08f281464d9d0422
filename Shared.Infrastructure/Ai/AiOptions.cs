using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Ai;

/// <summary>The <c>Ai</c> configuration section.</summary>
public sealed class AiOptions
{
    public const string OfflineProvider = "Offline";
    public const string OpenAIProvider = "OpenAI";
    public const string AzureOpenAIProvider = "AzureOpenAI";

    /// <summary>
    /// "Offline" (the local default: no model, labelled template output), "OpenAI" (any OpenAI-compatible chat
    /// completions API, key from the secret provider) or "AzureOpenAI" (an Azure OpenAI deployment, Entra ID through the
    /// app's managed identity: no key).
    /// </summary>
    public string Provider { get; set; } = OfflineProvider;

    /// <summary>OpenAI: base URL of the API, ending in the version segment, e.g. https://api.openai.com/v1/ or a local gateway.</summary>
    public string BaseUrl { get; set; } = "https://api.openai.com/v1/";

    /// <summary>OpenAI: the model. Azure OpenAI: the deployment name.</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>OpenAI: name of the secret that holds the API key (Key Vault in Azure).</summary>
    public string ApiKeySecret { get; set; } = SecretNames.AiApiKey;

    /// <summary>Azure OpenAI: the resource endpoint, e.g. https://my-resource.openai.azure.com/.</summary>
    public string AzureEndpoint { get; set; } = "";

    /// <summary>Per attempt (the resilience pipeline's attempt timeout, on the injected clock).</summary>
    public int TimeoutSeconds { get; set; } = 60;

    /// <summary>Retries within one generation attempt, for 429/408/5xx/network faults with a short or no Retry-After.</summary>
    public int MaxRetries { get; set; } = 3;

    public int RetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>
    /// The longest Retry-After waited out inside one attempt; a provider asking for longer gets its answer straight back
    /// to the worker, which schedules the next round for then (ADR 4) instead of holding a worker.
    /// </summary>
    public int MaxRetryAfterSeconds { get; set; } = 30;

    public int MaxTokens { get; set; } = 2048;

    /// <summary>How long an answer is reused for the same tenant and (normalized) prompt; 0 turns caching off.</summary>
    public int CacheTtlMinutes { get; set; } = 24 * 60;

    /// <summary>Calls to the provider one tenant may make per minute, per instance (cache hits do not count).</summary>
    public int RequestsPerMinutePerTenant { get; set; } = 60;
}
