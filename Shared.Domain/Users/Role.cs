namespace Shared.Domain.Users;

/// <summary>What a user may do. Everyone starts as <see cref="User"/>; the others are granted.</summary>
public enum Role
{
    User,
    Creator,
    Shopkeeper,
    Admin,
}
