using Shared.Domain.Billing;

namespace Shared.Infrastructure.Stripe;

/// <summary>An open payment-mode sandbox checkout (a wallet top-up), as <see cref="SandboxSession"/> is for plans.</summary>
public sealed record SandboxPayment(PaymentCheckoutRequest Request, string TenantName);
