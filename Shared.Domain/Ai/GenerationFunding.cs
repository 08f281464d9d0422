namespace Shared.Domain.Ai;

/// <summary>What pays for one generation while it runs: a use of the plan allowance, or credits held on the wallet.</summary>
public enum GenerationFunding
{
    Allowance,
    Credits,
}
