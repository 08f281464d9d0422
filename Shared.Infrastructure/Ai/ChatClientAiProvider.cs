using Microsoft.Extensions.AI;
using Shared.Domain.Ai;

namespace Shared.Infrastructure.Ai;

/// <summary>
/// The domain's generation port over an <see cref="IChatClient"/> pipeline: the prompt becomes a system and a user
/// message, the tenant travels in the options for the middleware, and the answer says which provider and model made it
/// (so offline output can never pass for a model's).
/// </summary>
public sealed class ChatClientAiProvider(IChatClient chat, string providerName, AiOptions options) : IAiProvider
{
    public async Task<AiCompletion> CompleteAsync(AiPrompt prompt, CancellationToken cancellationToken)
    {
        var chatOptions = AiCallContext.For(new ChatOptions { MaxOutputTokens = options.MaxTokens, Temperature = 0.2f }, prompt.TenantId);
        var response = await chat.GetResponseAsync([new ChatMessage(ChatRole.System, prompt.System), new ChatMessage(ChatRole.User, prompt.User)], chatOptions, cancellationToken);
        return new AiCompletion(response.Text, providerName, response.ModelId ?? options.Model, AiCallContext.IsFromCache(response));
    }
}
