using System.ClientModel;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Shared.Infrastructure.Secrets;

namespace Shared.Infrastructure.Ai;

/// <summary>
/// Keeps the OpenAI client's API key equal to the secret provider's (which caches it), so a key rotated in Key Vault is
/// used without a restart: a 401 makes the provider read the key again for the next call.
/// </summary>
public sealed class SecretKeyChatClient(IChatClient inner, ApiKeyCredential credential, ISecretProvider secrets, string secretName) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        credential.Update(await secrets.GetAsync(secretName, cancellationToken));
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (ClientResultException e) when (e.Status == 401)
        {
            secrets.Invalidate(secretName);
            throw;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        credential.Update(await secrets.GetAsync(secretName, cancellationToken));
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            yield return update;
        }
    }
}
