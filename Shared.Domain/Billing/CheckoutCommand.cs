using Shared.Domain.Common;
using Shared.Domain.Tenants;

namespace Shared.Domain.Billing;

/// <summary>A checkout the caller asked for, its fields already parsed by the endpoint (the URLs are checked by <see cref="StartCheckout"/>).</summary>
public sealed record CheckoutCommand(Tenant Tenant, UserId UserId, PlanId PlanId, BillingCycle Cycle, string? SuccessUrl, string? CancelUrl);
