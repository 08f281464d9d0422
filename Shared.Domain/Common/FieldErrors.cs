namespace Shared.Domain.Common;

/// <summary>Collects field errors so that one response lists every invalid field.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, string[]> _fields = [];

    public bool Any => _fields.Count > 0;

    public void Add(string field, string message) => _fields[field] = _fields.TryGetValue(field, out var existing) ? [.. existing, message] : [message];

    public Error ToError() => Error.Validation(_fields);
}
