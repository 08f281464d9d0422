namespace Shared.Infrastructure.Hosting;

/// <summary>Where the store's start-up check stands.</summary>
public enum StoreState
{
    /// <summary>The first check has not finished yet.</summary>
    Checking,

    /// <summary>Prepared, verified and seeded: requests may use it.</summary>
    Ready,

    /// <summary>The last check found problems (or could not reach the store); another check is scheduled.</summary>
    NotReady,
}
