namespace Shared.Infrastructure.Sqlite;

/// <summary>
/// A table holding rows about one user of a tenant: <paramref name="Table"/> has a <c>tenant_id</c> column and names the
/// user in <paramref name="UserColumn"/>; its rows are exported as records of <paramref name="Kind"/>. Names are code
/// constants (never input): they are written into the SQL. Rows that belong to another user and only name this one
/// (<paramref name="ErasedWithUser"/> false) are exported but kept on erasure: erasing them would change that user's data.
/// </summary>
public sealed record SqlitePersonalTable(string Table, string Kind, string UserColumn = "user_id", bool ErasedWithUser = true);
