namespace Shared.Domain.Admin;

/// <summary>Role applications' settings (configuration section <c>RoleApplications</c>).</summary>
public sealed class RoleApplicationOptions
{
    /// <summary>How long after a rejection the same user may not apply for the same role again (spam of the admins' queue).</summary>
    public TimeSpan ReapplyCooldown { get; set; } = TimeSpan.FromDays(7);
}
