namespace Shared.Domain.Admin;

public enum RoleApplicationStatus
{
    Pending,
    Approved,
    Rejected,
}
