namespace Shared.Domain.Marketplace;

public enum ModerationAction
{
    Verify,
    Hide,
    Unhide,
}
