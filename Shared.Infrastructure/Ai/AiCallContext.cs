using Microsoft.Extensions.AI;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Ai;

/// <summary>
/// What our middleware needs to know about a chat call that the chat abstraction has no field for: the tenant (cache
/// scope, rate limit). Carried in <see cref="ChatOptions.AdditionalProperties"/>, which the OpenAI
/// adapters do not send to the provider.
/// </summary>
public static class AiCallContext
{
    public const string TenantKey = "serverless.tenant_id";

    /// <summary>Set on a response the prompt cache answered.</summary>
    public const string FromCacheKey = "serverless.from_cache";

    public static ChatOptions For(ChatOptions options, TenantId tenantId)
    {
        options.AdditionalProperties ??= [];
        options.AdditionalProperties[TenantKey] = tenantId.Value;
        return options;
    }

    public static TenantId? Tenant(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(TenantKey, out var value) == true && TenantId.TryParse(value as string, out var tenant) ? tenant : null;

    public static bool IsFromCache(ChatResponse response) =>
        response.AdditionalProperties?.TryGetValue(FromCacheKey, out var value) == true && value is true;
}
