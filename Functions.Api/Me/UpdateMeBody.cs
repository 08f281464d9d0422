using System.Text.Json;

namespace Functions.Api.Me;

/// <summary>PUT /users/me: the safe fields a user may change. <see cref="Email"/> exists only to be refused (it needs re-verification).</summary>
public sealed record UpdateMeBody(string? DisplayName, JsonElement? Email);
