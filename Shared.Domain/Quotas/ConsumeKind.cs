namespace Shared.Domain.Quotas;

public enum ConsumeKind
{
    /// <summary>One use was consumed now.</summary>
    Allowed,

    /// <summary>The request key was seen before; nothing more was consumed and the first answer stands.</summary>
    Replayed,

    /// <summary>Nothing is left in this period; nothing was consumed.</summary>
    Denied,
}
