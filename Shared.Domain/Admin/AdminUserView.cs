using Shared.Domain.Billing;
using Shared.Domain.Common;
using Shared.Domain.Users;

namespace Shared.Domain.Admin;

/// <summary>What an admin sees about one user: the record, effective roles, plan (from the quota account), subscriptions, installations.</summary>
public sealed record AdminUserView(UserAccount Account, IReadOnlySet<Role> Roles, PlanId? PlanId, IReadOnlyList<Subscription> Subscriptions, int Installations);
