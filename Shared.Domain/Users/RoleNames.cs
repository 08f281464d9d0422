namespace Shared.Domain.Users;

public static class RoleNames
{
    public static string ToClaim(this Role role) => role switch
    {
        Role.User => "user",
        Role.Creator => "creator",
        Role.Shopkeeper => "shopkeeper",
        Role.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };

    public static bool TryParse(string? claim, out Role role)
    {
        foreach (var candidate in Enum.GetValues<Role>())
        {
            if (candidate.ToClaim() == claim)
            {
                role = candidate;
                return true;
            }
        }

        role = default;
        return false;
    }
}
