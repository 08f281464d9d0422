using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Quotas;
using Shared.Domain.Users;

namespace Shared.Domain.Admin;

/// <summary>Admins' reads of their tenant's users: search by email prefix (paged) and one user's details.</summary>
public sealed class AdminUsers(IAdminUserSearch search, IUserDirectory users, UserRoles roles, IQuotaStore quotas, IBillingStore billing)
{
    public const int PageSize = 50;
    public const int MaxQueryLength = EmailAddress.MaxLength;

    public async Task<Result<AdminUserPage>> SearchAsync(TenantId tenantId, string? query, string? continuation, CancellationToken cancellationToken)
    {
        var prefix = (query ?? "").Trim();
        if (prefix.Length > MaxQueryLength || !prefix.All(c => c is > ' ' and < (char)127))
        {
            return Error.Validation("query", $"An email prefix: up to {MaxQueryLength} visible ASCII characters.");
        }

        UserId? after = null;
        if (continuation is not null)
        {
            if (!TryReadContinuation(continuation, out var last))
            {
                return new Error(ErrorKind.Validation, "invalid_continuation", "The continuation token is not one this endpoint issued.");
            }

            after = last;
        }

        // Emails are stored lower-cased (EmailAddress), so the prefix is too; one extra row tells whether a next page exists.
        var rows = await search.SearchAsync(tenantId, prefix.ToLowerInvariant(), after, PageSize + 1, cancellationToken);
        var page = rows.Take(PageSize).ToList();
        return new AdminUserPage(page, rows.Count > PageSize ? WriteContinuation(page[^1].UserId) : null);
    }

    public async Task<Result<AdminUserView>> GetAsync(TenantId tenantId, string? userId, CancellationToken cancellationToken)
    {
        if (!UserId.TryParse(userId, out var parsed) || await users.GetAsync(tenantId, parsed.Value, cancellationToken) is not { } account)
        {
            return Error.NotFound("user_not_found", "No user with this id in this tenant.");
        }

        var id = account.Id;
        var quota = await quotas.GetAsync(tenantId, id, cancellationToken);
        return new AdminUserView(
            account,
            await roles.EffectiveAsync(tenantId, id, cancellationToken),
            quota?.PlanId,
            await billing.ListSubscriptionsAsync(tenantId, id, cancellationToken),
            await search.CountInstallationsAsync(tenantId, id, cancellationToken));
    }

    // The continuation is the last user id of the page (ContinuationText): opaque to clients, checked on the way back.
    private static string WriteContinuation(UserId last) => ContinuationText.Encode("u1:" + last.Value);

    private static bool TryReadContinuation(string token, out UserId last)
    {
        last = default;
        if (token.Length > 100 || !ContinuationText.TryDecode(token, out var text) || !text.StartsWith("u1:", StringComparison.Ordinal) || !UserId.TryParse(text[3..], out var id))
        {
            return false;
        }

        last = id.Value;
        return true;
    }
}
