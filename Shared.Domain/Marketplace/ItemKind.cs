namespace Shared.Domain.Marketplace;

/// <summary>What an item is: AskDunzo's WebSquare features and the GPT store's products share one catalog.</summary>
public enum ItemKind
{
    Feature,
    Gpt,
    Prompt,
    Bundle,
}
