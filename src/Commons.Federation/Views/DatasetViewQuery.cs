using Commons.Core.Errors;

namespace Commons.Federation.Views;

/// <summary>
/// The query of a view's URL, the same limits on both sides: at most <see cref="MaxParameters"/> parameters, each named
/// once, names and values at most <see cref="MaxLength"/> characters. Beyond them: <c>invalid_parameter</c>.
/// </summary>
public static class DatasetViewQuery
{
    public const int MaxParameters = 16;
    public const int MaxLength = 200;

    public static IReadOnlyDictionary<string, string> Check(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters)
        {
            if (query.Count == MaxParameters) throw Invalid("query", $"at most {MaxParameters} parameters");
            if (name.Length is 0 or > MaxLength) throw Invalid("query", $"parameter names of 1 to {MaxLength} characters");
            if (value.Length > MaxLength) throw Invalid(name, $"at most {MaxLength} characters");
            if (!query.TryAdd(name, value)) throw Invalid(name, "given once");
        }
        return query;
    }

    private static ValidationException Invalid(string path, string message) => ValidationException.For(path, message, ProblemCodes.InvalidParameter);
}
