using Shared.Domain.Common;

namespace Shared.Domain.Campaigns;

/// <summary>Customers register pin codes and their campaign consent per channel; absent consent is "no".</summary>
public sealed class CustomerPreferenceService(ICustomerPreferenceStore store, TimeProvider time)
{
    public async Task<Result<CustomerPreferences>> PutAsync(TenantId tenantId, UserId userId, IReadOnlyList<string?>? pinCodes, bool? inApp, bool? push, bool? whatsApp, bool channelsGiven, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        var pins = PinCodes.Read(pinCodes, "pin_codes", errors, allowEmpty: true);
        if (!channelsGiven)
        {
            errors.Add("channels", "Required: {in_app, push, whatsapp}.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        var preferences = new CustomerPreferences(tenantId, userId, pins!, new ChannelConsent(inApp == true, push == true, whatsApp == true), time.GetUtcNow());
        await store.PutAsync(preferences, cancellationToken);
        return preferences;
    }

    public async Task<CustomerPreferences> GetAsync(TenantId tenantId, UserId userId, CancellationToken cancellationToken) =>
        await store.GetAsync(tenantId, userId, cancellationToken) ?? new CustomerPreferences(tenantId, userId, [], ChannelConsent.None, DateTimeOffset.MinValue);
}
