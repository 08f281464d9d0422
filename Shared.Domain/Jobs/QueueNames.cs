namespace Shared.Domain.Jobs;

/// <summary>The queues jobs travel on. Service Bus has no priorities, so paid work has its own queue that is read first.</summary>
public static class QueueNames
{
    public const string AiGenerationPriority = "ai-generation-priority";
    public const string AiGenerationStandard = "ai-generation-standard";
    public const string CampaignDispatch = "campaign-dispatch";

    public static readonly IReadOnlyList<string> All = [AiGenerationPriority, AiGenerationStandard, CampaignDispatch];
}
