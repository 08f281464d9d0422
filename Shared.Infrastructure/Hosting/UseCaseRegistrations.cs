using Microsoft.Extensions.DependencyInjection;
using Shared.Domain.Billing;
using Shared.Domain.Features;

namespace Shared.Infrastructure.Hosting;

/// <summary>
/// The domain's use cases, one registration method per feature, so that adding a use case edits its feature's method
/// and not the composition root. The ports they depend on (stores, queue, payment gateway) are registered by the
/// composition root's provider choice.
/// </summary>
public static class UseCaseRegistrations
{
    /// <summary>Submitting, reading and listing feature requests, and the steps the worker and the sweep share.</summary>
    public static IServiceCollection AddFeatureRequestUseCases(this IServiceCollection services)
    {
        services.AddSingleton<SubmitFeatureRequest>();
        services.AddSingleton<ReserveFeatureRequest>();
        services.AddSingleton<SendFeatureJob>();
        services.AddSingleton<FailFeatureRequest>();
        services.AddSingleton<GetFeatureRequest>();
        services.AddSingleton<ListFeatureRequests>();
        return services;
    }

    /// <summary>The Stripe webhook: the dispatcher and one use case per event type.</summary>
    public static IServiceCollection AddBillingUseCases(this IServiceCollection services)
    {
        services.AddSingleton<StripeEventHandler>();
        services.AddSingleton<ApplyCheckoutCompleted>();
        services.AddSingleton<ApplySubscriptionChanged>();
        services.AddSingleton<ApplyInvoice>();
        services.AddSingleton<ApplyChargeRefunded>();
        return services;
    }

    /// <summary>Starting a checkout, cancelling at period end, and opening the billing portal.</summary>
    public static IServiceCollection AddCheckoutUseCases(this IServiceCollection services)
    {
        services.AddSingleton<StartCheckout>();
        services.AddSingleton<CancelSubscription>();
        services.AddSingleton<OpenBillingPortal>();
        return services;
    }
}
