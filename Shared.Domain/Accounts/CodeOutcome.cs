namespace Shared.Domain.Accounts;

/// <summary>What checking a one-time code found. Callers answer every failure alike (<c>invalid_code</c>).</summary>
public enum CodeOutcome
{
    Accepted,
    NoLiveCode,
    Expired,
    NoAttemptsLeft,
    Wrong,
}
