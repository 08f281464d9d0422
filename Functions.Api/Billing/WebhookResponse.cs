namespace Functions.Api.Billing;

public sealed record WebhookResponse(bool Received, string Outcome);
