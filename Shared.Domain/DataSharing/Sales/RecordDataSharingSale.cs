using System.Globalization;
using Shared.Domain.Common;
using Shared.Domain.Wallets;

namespace Shared.Domain.DataSharing.Sales;

/// <summary>
/// <c>POST /admin/data-sharing/sales</c>: records a sale of one exported release and credits its contributors'
/// money wallets by <see cref="SaleCredits"/>. Idempotent by reference: the sale is stored first (unique per tenant and
/// reference), then each contributor is credited with a wallet operation keyed <c>data-sharing-sale:{reference}</c>,
/// unique per wallet, so a retry (or a concurrent repeat) credits nobody twice and finishes a call cut short.
/// <para>
/// Contributors are the release's per-user contribution marks (<see cref="IDataSharingReleaseStore.ListContributorsAsync"/>):
/// kept only to count a user's releases and to credit sales, never exported, and deleted with the user's erasure (a user
/// erased before a sale is not credited by it). The split is the one each contributor has when the sale is recorded; a
/// retry after a contributor changed it finds their credit under the same key with another amount, which the wallet
/// refuses (idempotency conflict): they were credited once already, by the earlier call, and are not credited again.
/// </para>
/// </summary>
public sealed class RecordDataSharingSale(
    IDataSharingReleaseStore releases,
    IDataSharingStore preferences,
    IDataSharingSaleStore sales,
    WalletService wallets,
    IWalletSettingsSource walletSettings,
    TimeProvider time)
{
    public const int MaxReferenceLength = 100;
    public const long MaxAmountCents = 1_000_000_000_000L;
    public const string ReleaseNotFoundCode = "release_not_found";
    public const string ReferenceReusedCode = "sale_reference_reused";
    public const string WalletsNotConfiguredCode = "wallets_not_configured";
    public const string NoContributorsCode = "release_has_no_contributors";
    public const string KeyPrefix = "data-sharing-sale:";

    public async Task<Result<DataSharingSaleReport>> HandleAsync(TenantId tenantId, DataSharingSaleInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        var errors = new FieldErrors();
        DateOnly day = default;
        if ((input.Day is null) == (input.ReleaseId is null))
        {
            errors.Add("day", "Give exactly one of day (yyyy-MM-dd) or release_id.");
        }
        else if (input.Day is not null && !TryParseDay(input.Day, out day))
        {
            errors.Add("day", "Must be a UTC day as yyyy-MM-dd.");
        }
        else if (input.ReleaseId is not null && !TryParseReleaseId(tenantId, input.ReleaseId, out day))
        {
            errors.Add("release_id", "Must be a release id of this tenant as the release list shows it ({tenant}:{yyyy-MM-dd}).");
        }

        if (input.AmountCents is not ({ } amount and > 0 and <= MaxAmountCents))
        {
            errors.Add("amount_cents", $"Required: a whole number of minor units, 1 to {MaxAmountCents}.");
        }

        var settings = walletSettings.Find(tenantId);
        if (input.Currency is not { Length: 3 } currency || !currency.All(char.IsAsciiLetterUpper))
        {
            errors.Add("currency", "Required: an ISO 4217 code in capitals, e.g. EUR.");
        }
        else if (settings is not null && currency != settings.Currency)
        {
            errors.Add("currency", $"Must be the tenant's wallet currency ({settings.Currency}): contributors are credited in it.");
        }

        if (input.Reference is not { Length: > 0 and <= MaxReferenceLength } reference || !reference.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or ':'))
        {
            errors.Add("reference", $"Required: the sale's unique reference, 1 to {MaxReferenceLength} characters of A-Z, a-z, 0-9, '.', '_', '-', ':'.");
        }

        if (errors.Any)
        {
            return errors.ToError();
        }

        if (settings is null)
        {
            return new Error(ErrorKind.Conflict, WalletsNotConfiguredCode, "This tenant has no wallets (no wallet_currency): contributors could not be credited.");
        }

        if (await releases.FindAsync(tenantId, day, cancellationToken) is not { ExportedAt: not null })
        {
            return Error.NotFound(ReleaseNotFoundCode, $"No exported release of {day:yyyy-MM-dd}.");
        }

        var contributors = await releases.ListContributorsAsync(tenantId, day, cancellationToken);
        if (contributors.Count == 0 && await sales.GetAsync(tenantId, input.Reference!, cancellationToken) is null)
        {
            // Nobody to credit (none marked, or all erased since): no sale is recorded, so nothing is credited.
            return new Error(ErrorKind.Conflict, NoContributorsCode, $"The release of {day:yyyy-MM-dd} has no contributors to credit; the sale was not recorded.");
        }

        var (sale, created) = await sales.CreateOrGetAsync(new DataSharingSale(tenantId, input.Reference!, day, input.AmountCents!.Value, input.Currency!, time.GetUtcNow(), contributors.Count), cancellationToken);
        if (!sale.SameSaleAs(new DataSharingSale(tenantId, input.Reference!, day, input.AmountCents!.Value, input.Currency!, sale.RecordedAt, sale.Contributors)))
        {
            return new Error(ErrorKind.Conflict, ReferenceReusedCode, "This reference was used for a different sale.");
        }

        // Divided by the count frozen when the sale was first recorded (erasures since then only remove contributors).
        var parts = Math.Max(sale.Contributors, 1);
        int credited = 0, already = 0;
        long creditedCents = 0;
        foreach (var user in contributors.OrderBy(u => u.Value, StringComparer.Ordinal))
        {
            var split = (await preferences.GetAsync(tenantId, user, cancellationToken))?.ProfitSplit ?? DataSharingPreference.DefaultSplit;
            var credit = SaleCredits.For(sale.AmountCents, split, parts);
            if (credit == 0)
            {
                continue; // a part smaller than one minor unit: the tenant keeps it (SaleCredits)
            }

            var key = KeyPrefix + sale.Reference;
            var result = await wallets.CreditAsync(new WalletKey(tenantId, user, WalletKind.Money), LedgerEntryKind.Adjustment, credit, key, key, cancellationToken);
            if (!result.IsSuccess)
            {
                return result.Error!;
            }

            switch (result.Value.Outcome)
            {
                case WalletOutcome.Applied or WalletOutcome.Replayed:
                    credited++;
                    creditedCents += credit;
                    break;
                case WalletOutcome.IdempotencyConflict:
                    already++;
                    break;
                default:
                    throw new InvalidOperationException($"A credit cannot end as {result.Value.Outcome}.");
            }
        }

        return new DataSharingSaleReport(sale, contributors.Count, credited, creditedCents, already, Repeated: !created);
    }

    private static bool TryParseDay(string raw, out DateOnly day) =>
        DateOnly.TryParseExact(raw, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);

    private static bool TryParseReleaseId(TenantId tenantId, string raw, out DateOnly day)
    {
        day = default;
        var prefix = tenantId.Value + ":"; // PrivacyLedgerEntry.ReleaseIdFor: "{tenant}:{yyyy-MM-dd}"
        return raw.StartsWith(prefix, StringComparison.Ordinal) && TryParseDay(raw[prefix.Length..], out day);
    }
}
