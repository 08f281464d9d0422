using Shared.Domain.Common;

namespace Shared.Domain.Features;

/// <summary>The caller's requests, newest first, a page at a time (<see cref="FeatureOptions.PageSizeDefault"/> unless asked).</summary>
public sealed class ListFeatureRequests(IFeatureRequestStore store, FeatureOptions options)
{
    public const int MaxContinuationLength = 4096;

    public async Task<Result<FeatureRequestPage>> HandleAsync(TenantId tenantId, UserId userId, int? limit, string? continuation, CancellationToken cancellationToken)
    {
        var max = limit ?? options.PageSizeDefault;
        if (max < 1 || max > options.PageSizeMax)
        {
            return Error.Validation("limit", $"Between 1 and {options.PageSizeMax}.");
        }

        if (continuation is { Length: > MaxContinuationLength })
        {
            return Error.Validation("continuation", "Not a continuation token from this list.");
        }

        try
        {
            return await store.ListAsync(tenantId, userId, max, string.IsNullOrEmpty(continuation) ? null : continuation, cancellationToken);
        }
        catch (InvalidContinuationException)
        {
            return Error.Validation("continuation", "Not a continuation token from this list.");
        }
    }
}
