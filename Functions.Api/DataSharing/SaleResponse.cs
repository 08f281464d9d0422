namespace Functions.Api.DataSharing;

/// <summary>A recorded sale and its crediting: contributors of the release, how many were credited and how much in total, how many had been credited by an earlier call, and whether the sale was recorded before.</summary>
public sealed record SaleResponse(
    string Reference,
    string Day,
    long AmountCents,
    string Currency,
    int Contributors,
    int Credited,
    long CreditedCents,
    int AlreadyCredited,
    bool Repeated);
