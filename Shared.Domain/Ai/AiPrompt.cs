using Shared.Domain.Common;

namespace Shared.Domain.Ai;

/// <summary>One generation: the tenant it is for (caching and rate limits are per tenant) and the chat messages.</summary>
public sealed record AiPrompt(TenantId TenantId, string System, string User);
