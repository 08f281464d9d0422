namespace Functions.Api.Accounts;

/// <summary>202 of the code senders: the same answer whether or not a message went out (no enumeration).</summary>
public sealed record AcceptedResponse(string Status);
