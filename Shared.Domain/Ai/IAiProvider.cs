namespace Shared.Domain.Ai;

/// <summary>
/// The AI service behind feature generation. Implemented over a Microsoft.Extensions.AI <c>IChatClient</c> pipeline
/// (tenant prompt cache, our rate limit, OpenTelemetry, the OpenAI / Azure OpenAI / offline client); the domain keeps
/// this port so it names the tenant as a type and stays free of the chat abstraction.
/// </summary>
public interface IAiProvider
{
    /// <summary>
    /// Generates a completion; throws <see cref="AiProviderException"/> when the provider fails, and
    /// <see cref="AiRateLimitExceededException"/> when our own per-tenant limit says to wait.
    /// </summary>
    Task<AiCompletion> CompleteAsync(AiPrompt prompt, CancellationToken cancellationToken);
}
