namespace Shared.Domain.Features;

/// <summary>The outcome of a submission: the request, whether it was a repeat of an earlier one, and a send failure to report.</summary>
public sealed record SubmittedFeatureRequest(FeatureRequest Request, bool Repeated, Exception? SendFailure);
