using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Hybrid;
using Shared.Domain.Common;

namespace Shared.Infrastructure.Ai;

/// <summary>
/// Reuses an answer for the same tenant, model and prompt (whitespace and case normalized) for a while, through
/// <see cref="HybridCache"/>: in memory on this instance (expiring by the injected clock) and, where an
/// <c>IDistributedCache</c> is configured, shared with every instance. The key is a hash that includes the tenant, so
/// neither the prompt nor the answer of one tenant can be served to another; entries are tagged per tenant so one
/// tenant's answers can be dropped together. Concurrent identical prompts on one instance make one call. Calls without
/// a tenant are not cached.
/// </summary>
public sealed class TenantPromptCacheChatClient(IChatClient inner, HybridCache cache, TimeSpan ttl) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (ttl <= TimeSpan.Zero || AiCallContext.Tenant(options) is not { } tenant)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }

        var list = messages.ToList();
        var state = new Call(InnerClient, list, options);
        var entry = await cache.GetOrCreateAsync(
            KeyFor(tenant, options?.ModelId, list),
            state,
            static async (call, ct) =>
            {
                call.Generated = true;
                var response = await call.Inner.GetResponseAsync(call.Messages, call.Options, ct);
                return new CachedAnswer(response.Text, response.ModelId);
            },
            new HybridCacheEntryOptions { Expiration = ttl, LocalCacheExpiration = ttl },
            [TagFor(tenant)],
            cancellationToken);

        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, entry.Text)) { ModelId = entry.ModelId };
        if (!state.Generated)
        {
            answer.AdditionalProperties = new() { [AiCallContext.FromCacheKey] = true };
        }

        return answer;
    }

    /// <summary>The tag of every entry of one tenant (<c>HybridCache.RemoveByTagAsync</c> drops them all).</summary>
    public static string TagFor(TenantId tenant) => "ai-tenant:" + tenant.Value;

    public static string KeyFor(TenantId tenant, string? model, IEnumerable<ChatMessage> messages)
    {
        var text = new StringBuilder().Append(tenant.Value).Append('\n').Append(model).Append('\n');
        foreach (var message in messages)
        {
            text.Append(message.Role.Value).Append(':').Append(Normalize(message.Text)).Append('\n');
        }

        return "ai:v1:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static string Normalize(string text) =>
        string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLower(CultureInfo.InvariantCulture);

    /// <summary>What is cached: the answer's text and model, nothing of the prompt.</summary>
    public sealed record CachedAnswer(string Text, string? ModelId);

    private sealed class Call(IChatClient inner, List<ChatMessage> messages, ChatOptions? options)
    {
        public IChatClient Inner { get; } = inner;

        public List<ChatMessage> Messages { get; } = messages;

        public ChatOptions? Options { get; } = options;

        public bool Generated { get; set; }
    }
}
