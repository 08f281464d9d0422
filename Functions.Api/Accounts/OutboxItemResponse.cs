namespace Functions.Api.Accounts;

public sealed record OutboxItemResponse(string To, string? Subject, string Body, string? Code, DateTimeOffset SentAt);
