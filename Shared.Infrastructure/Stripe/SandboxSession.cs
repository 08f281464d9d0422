using Shared.Domain.Billing;
using Shared.Domain.Common;
using Plan = Shared.Domain.Tenants.Plan;

namespace Shared.Infrastructure.Stripe;

public sealed record SandboxSession(CheckoutRequest Request, Plan Plan, Money Price, string TenantName);
