namespace Shared.Domain.Accounts;

/// <summary>
/// An extension installation linked to a user, as the user may see it: an opaque id and when it was linked. The id is
/// <c>ext:</c> + the SHA-256 (lower-case hex) of the extension id, the same in both stores (Cosmos keeps only that
/// digest, never the extension id itself), so an installation can recognise itself without the list echoing ids.
/// </summary>
public sealed record LinkedInstallation(string InstallationId, DateTimeOffset LinkedAt);
