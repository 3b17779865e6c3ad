namespace Commons.Federation.Signatures.Messages;

/// <summary>
/// Case-insensitive, order-preserving multi-map of HTTP header fields.
/// Values are stored as received (one entry per field line).
/// </summary>
public sealed class HttpHeaderMultiMap
{
    private readonly Dictionary<string, List<string>> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _order = [];

    public IEnumerable<string> Names => _order;

    public void Add(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!_fields.TryGetValue(name, out var values))
        {
            values = [];
            _fields[name] = values;
            _order.Add(name);
        }
        values.Add(value);
    }

    public void Add(string name, IEnumerable<string> values)
    {
        foreach (var value in values)
        {
            Add(name, value);
        }
    }

    /// <summary>Replaces every value of <paramref name="name"/> with a single value.</summary>
    public void Set(string name, string value)
    {
        Remove(name);
        Add(name, value);
    }

    public bool Remove(string name)
    {
        if (!_fields.Remove(name))
        {
            return false;
        }
        _order.RemoveAll(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return true;
    }

    public bool Contains(string name) => _fields.ContainsKey(name);

    public IReadOnlyList<string> GetValues(string name) =>
        _fields.TryGetValue(name, out var values) ? values : [];

    /// <summary>
    /// The field's values combined as RFC 9110 §5.3 and RFC 9421 §2.1 describe:
    /// each value trimmed of surrounding whitespace, joined with ", ". Null when absent.
    /// </summary>
    public string? GetCombinedValue(string name)
    {
        if (!_fields.TryGetValue(name, out var values) || values.Count == 0)
        {
            return null;
        }
        return string.Join(", ", values.Select(v => v.Trim(' ', '\t')));
    }

    public HttpHeaderMultiMap Clone()
    {
        var copy = new HttpHeaderMultiMap();
        foreach (var name in _order)
        {
            copy.Add(name, _fields[name]);
        }
        return copy;
    }
}
