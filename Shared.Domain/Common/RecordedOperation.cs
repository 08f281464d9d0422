namespace Shared.Domain.Common;

/// <summary>
/// One keyed operation as remembered: when it was applied, the result it answered (a repeat answers the same), and, for
/// a hold (an operation that is later kept or given back), whether it was given back (<see cref="Released"/>) or kept
/// for good (<see cref="Settled"/>). A hold that is neither is still open.
/// </summary>
public readonly record struct RecordedOperation<TResult>(DateTimeOffset At, TResult ResultAfter, bool Released = false, bool Settled = false);
