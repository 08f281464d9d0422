using Microsoft.Extensions.AI;

namespace Functions.Api.Tests;

/// <summary>
/// The AI provider below the real pipeline (prompt cache, tenant rate limit, failure mapping) in the AI tests: a prompt
/// containing FAIL is a network failure (the pipeline makes it an <c>AiProviderException</c>), a campaign prompt gets a
/// 3,000-character answer (longer than any channel allows), anything else is echoed; a prompt containing HOOK first
/// runs <see cref="Hook"/> (a test's action while the call is in flight). Counts the calls that reached it.
/// </summary>
public sealed class ScriptedProvider : IChatClient
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Run during a call whose prompt contains HOOK, before it answers.</summary>
    public Func<Task>? Hook { get; set; }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var prompt = messages.Last().Text;
        if (prompt.Contains("HOOK", StringComparison.Ordinal) && Hook is { } hook)
        {
            await hook();
        }

        if (prompt.Contains("FAIL", StringComparison.Ordinal))
        {
            throw new HttpRequestException("scripted provider failure");
        }

        var text = prompt.StartsWith("Product:", StringComparison.Ordinal)
            ? string.Concat(Enumerable.Repeat("Great deal today ", 180))
            : "answer: " + prompt;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text)) { ModelId = "scripted" };
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
