namespace Functions.Api.Me;

/// <summary>DELETE /users/me: the password typed again, for accounts that have one (optional otherwise).</summary>
public sealed record EraseMeBody(string? Password);
