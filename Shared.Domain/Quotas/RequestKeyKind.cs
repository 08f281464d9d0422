namespace Shared.Domain.Quotas;

/// <summary>
/// The operation that recorded a use under a key. Keys of different kinds live in one per-user key memory, so the kind
/// is part of both the hashed input and the stored id: a key recorded by one kind can never satisfy another.
/// </summary>
public enum RequestKeyKind
{
    /// <summary>An identify call's <c>request_id</c> (chosen by the client).</summary>
    Identify,

    /// <summary>A feature request's reservation (the request id, chosen by the server). Release and settle act only on these.</summary>
    Reservation,
}
