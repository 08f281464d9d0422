using System.Globalization;
using Shared.Domain.Audit;
using Shared.Domain.Common;
using Shared.Domain.Tenants;
using Shared.Domain.Users;

namespace Shared.Domain.Admin;

/// <summary>
/// Applying for a role that admins approve (creator, shopkeeper) and the admins' decision. An approval grants the role
/// through <see cref="RoleAdministration"/> (so it is audited as any grant is, and refused for a user no longer in the
/// tenant); applying, approving and rejecting are audited too. One pending application per user and role; a user who
/// already holds the role cannot apply for it. Against spam of the admins' queue, only a user with a verified email
/// may apply, and not again for a role within <see cref="RoleApplicationOptions.ReapplyCooldown"/> of a rejection.
/// </summary>
public sealed class RoleApplications(IRoleApplicationStore store, RoleAdministration administration, UserRoles roles, IUserDirectory users, ITenantDirectory tenants, IAuditLog audit, RoleApplicationOptions options, TimeProvider time)
{
    public const string Applied = "roles.applied";
    public const string Approved = "admin.role_application_approved";
    public const string Rejected = "admin.role_application_rejected";
    public const string GrantFailed = "admin.role_application_grant_failed";
    public const string ApprovalUndone = "admin.role_application_approval_undone";
    public const int MaxNoteLength = 500;
    public const int MaxReasonLength = 500;
    public const int PageSize = 50;

    /// <summary>The caller (<see cref="AdminCaller.ActorId"/>, the applicant here) applies for <paramref name="roleText"/>.</summary>
    public async Task<Result<RoleApplication>> ApplyAsync(AdminCaller applicant, string? roleText, string? note, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applicant);
        var errors = new Dictionary<string, string[]>();
        if (!RoleNames.TryParse(roleText, out var role) || role is not (Role.Creator or Role.Shopkeeper))
        {
            errors["role"] = ["One of: creator, shopkeeper."];
        }

        if (!TryCleanText(note, MaxNoteLength, out var cleanNote))
        {
            errors["note"] = [$"At most {MaxNoteLength} characters, no control characters."];
        }

        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }

        if ((await users.GetAsync(applicant.TenantId, applicant.ActorId, cancellationToken))?.VerifiedEmail is null)
        {
            return new Error(ErrorKind.Forbidden, "email_not_verified", "Verify an email address before applying for a role.");
        }

        var tenant = await TenantAsync(applicant.TenantId, cancellationToken);
        if ((await roles.EffectiveAsync(tenant, applicant.ActorId, cancellationToken)).Contains(role))
        {
            return new Error(ErrorKind.Conflict, "role_already_held", "You already have this role.");
        }

        var now = time.GetUtcNow();
        if (await store.LastRejectedAtAsync(applicant.TenantId, applicant.ActorId, role, cancellationToken) is { } rejectedAt && rejectedAt + options.ReapplyCooldown > now)
        {
            var from = rejectedAt + options.ReapplyCooldown;
            var seconds = (long)Math.Ceiling((from - now).TotalSeconds);
            return new Error(ErrorKind.Conflict, "application_cooldown", "Your last application for this role was rejected recently; apply again from " + from.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) + $" (retry after {seconds} seconds).");
        }

        var application = new RoleApplication(applicant.TenantId, RoleApplication.NewId(applicant.ActorId, role), applicant.ActorId, role, cleanNote, RoleApplicationStatus.Pending, now);
        if (!await store.TryCreateAsync(application, cancellationToken))
        {
            return new Error(ErrorKind.Conflict, "application_pending", "You have a pending application for this role; an admin will decide it.");
        }

        await audit.AppendAsync(new AuditEntry(applicant.TenantId, Applied, applicant.ActorId.Value, applicant.ActorId.Value, now, applicant.Address, applicant.CorrelationId, new Dictionary<string, string> { ["role"] = role.ToClaim() }), cancellationToken);
        return application;
    }

    public async Task<Result<RoleApplicationPage>> ListAsync(TenantId tenantId, string? statusText, string? continuation, CancellationToken cancellationToken)
    {
        if (!TryParseStatus(string.IsNullOrEmpty(statusText) ? "pending" : statusText, out var status))
        {
            return Error.Validation("status", "One of: pending, approved, rejected.");
        }

        string? after = null;
        if (continuation is not null)
        {
            if (!ContinuationText.TryDecode(continuation, out var plain) || !plain.StartsWith("ra1:", StringComparison.Ordinal) || !RoleApplication.TryReadApplicant(plain[4..], out _))
            {
                return new Error(ErrorKind.Validation, "invalid_continuation", "The continuation token is not one this endpoint issued.");
            }

            after = plain[4..];
        }

        var rows = await store.ListAsync(tenantId, status, after, PageSize + 1, cancellationToken);
        var page = rows.Take(PageSize).ToList();
        return new RoleApplicationPage(page, rows.Count > PageSize ? ContinuationText.Encode("ra1:" + page[^1].Id) : null);
    }

    public Task<Result<RoleApplication>> ApproveAsync(AdminCaller admin, string? id, CancellationToken cancellationToken) =>
        DecideAsync(admin, id, RoleApplicationStatus.Approved, null, cancellationToken);

    public async Task<Result<RoleApplication>> RejectAsync(AdminCaller admin, string? id, string? reason, CancellationToken cancellationToken)
    {
        if (!TryCleanText(reason, MaxReasonLength, out var cleanReason))
        {
            return Error.Validation("reason", $"At most {MaxReasonLength} characters, no control characters.");
        }

        return await DecideAsync(admin, id, RoleApplicationStatus.Rejected, cleanReason, cancellationToken);
    }

    public static string Format(RoleApplicationStatus status) => status switch
    {
        RoleApplicationStatus.Pending => "pending",
        RoleApplicationStatus.Approved => "approved",
        _ => "rejected",
    };

    public static bool TryParseStatus(string? text, out RoleApplicationStatus status)
    {
        status = text switch
        {
            "pending" => RoleApplicationStatus.Pending,
            "approved" => RoleApplicationStatus.Approved,
            "rejected" => RoleApplicationStatus.Rejected,
            _ => (RoleApplicationStatus)(-1),
        };
        return Enum.IsDefined(status);
    }

    private async Task<Result<RoleApplication>> DecideAsync(AdminCaller admin, string? id, RoleApplicationStatus decision, string? reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (!RoleApplication.TryReadApplicant(id, out _) || await store.GetAsync(admin.TenantId, id!, cancellationToken) is not { } application)
        {
            return Error.NotFound("application_not_found", "No role application with this id in this tenant.");
        }

        if (application.Status != RoleApplicationStatus.Pending)
        {
            return new Error(ErrorKind.Conflict, "application_decided", $"This application was {Format(application.Status)} already.");
        }

        // An approval grants first, then marks the application approved (conditionally: of an approval and a rejection
        // racing, one wins). The grant is idempotent, so a grant that fails or throws leaves the application pending,
        // never approved without the role, and the approval can simply be retried; a refused grant (the applicant is
        // no longer in the tenant) is audited. Should the marking lose to a rejection, the role this approval granted
        // is revoked again and that is audited.
        var details = new Dictionary<string, string> { ["role"] = application.Role.ToClaim() };
        RoleChange? granted = null;
        if (decision == RoleApplicationStatus.Approved)
        {
            Result<RoleChange> grant;
            try
            {
                grant = await administration.GrantAsync(admin, application.UserId.Value, application.Role.ToClaim(), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Nothing is marked: the failure is recorded and rethrown (the approval may be retried).
                await audit.AppendAsync(new AuditEntry(admin.TenantId, GrantFailed, admin.ActorId.Value, application.UserId.Value, time.GetUtcNow(), admin.Address, admin.CorrelationId, new Dictionary<string, string>(details) { ["error"] = e.GetType().Name }), cancellationToken);
                throw;
            }

            if (!grant.IsSuccess)
            {
                await audit.AppendAsync(new AuditEntry(admin.TenantId, GrantFailed, admin.ActorId.Value, application.UserId.Value, time.GetUtcNow(), admin.Address, admin.CorrelationId, new Dictionary<string, string>(details) { ["error"] = grant.Error!.Code }), cancellationToken);
                return grant.Error!;
            }

            granted = grant.Value;
        }

        var decided = application.Decide(decision, time.GetUtcNow(), reason);
        if (!await store.TryDecideAsync(decided, cancellationToken))
        {
            // Revoked only when this approval made the grant and the application ended up not approved: when a
            // concurrent approval of it won, the role stays.
            if (granted is { Changed: true } && (await store.GetAsync(admin.TenantId, application.Id, cancellationToken))?.Status != RoleApplicationStatus.Approved)
            {
                var revoke = await administration.RevokeAsync(admin, application.UserId.Value, application.Role.ToClaim(), cancellationToken);
                await audit.AppendAsync(new AuditEntry(admin.TenantId, ApprovalUndone, admin.ActorId.Value, application.UserId.Value, time.GetUtcNow(), admin.Address, admin.CorrelationId, new Dictionary<string, string>(details) { ["revoked"] = revoke.IsSuccess ? "true" : revoke.Error!.Code }), cancellationToken);
            }

            return new Error(ErrorKind.Conflict, "application_decided", "This application was decided meanwhile.");
        }

        // The entry names the role, not the application: its id embeds the applicant's id, which the audit log's
        // pseudonymisation (actor and target) would not reach inside the details.
        await audit.AppendAsync(new AuditEntry(admin.TenantId, decision == RoleApplicationStatus.Approved ? Approved : Rejected, admin.ActorId.Value, application.UserId.Value, decided.DecidedAt!.Value, admin.Address, admin.CorrelationId, details), cancellationToken);
        return decided;
    }

    private async Task<Tenant> TenantAsync(TenantId tenantId, CancellationToken cancellationToken) =>
        await tenants.FindAsync(tenantId, cancellationToken) ?? throw new InvalidOperationException($"Tenant {tenantId} vanished during a request.");

    private static bool TryCleanText(string? text, int max, out string? clean)
    {
        clean = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        return clean is null || (clean.Length <= max && !clean.Any(char.IsControl));
    }
}
