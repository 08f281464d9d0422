namespace Shared.Infrastructure.Sqlite;

/// <summary>
/// A table holding rows about one user of a tenant: <paramref name="Table"/> has a <c>tenant_id</c> column and names the
/// user in <paramref name="UserColumn"/>; its rows are exported as records of <paramref name="Kind"/>. Names are code
/// constants (never input): they are written into the SQL. Rows that must outlive the erasure (<paramref name="ErasedWithUser"/>
/// false: another user's record naming this one, or what the law requires to keep, such as payments) are exported, and on
/// erasure kept de-identified: every occurrence of the user id in their text columns becomes the user's pseudonym
/// (<see cref="Shared.Domain.Privacy.ErasedUserKey.PseudonymOf"/>).
/// </summary>
public sealed record SqlitePersonalTable(string Table, string Kind, string UserColumn = "user_id", bool ErasedWithUser = true);
