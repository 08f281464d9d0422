using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>The plan a user's subscriptions give, and the subscription it comes from (null for the tenant's default plan).</summary>
public sealed record PlanChoice(Plan Plan, Subscription? Source);
