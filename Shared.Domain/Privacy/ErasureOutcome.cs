namespace Shared.Domain.Privacy;

/// <summary>What an erasure did: whether it was the first, and how many records it removed or de-identified (0 on a repeat).</summary>
public sealed record ErasureOutcome(bool FirstErasure, int RecordsErased, bool PaymentCustomerDeleted);
