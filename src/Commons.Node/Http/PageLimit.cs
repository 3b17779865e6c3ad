using System.Globalization;
using Commons.Core.Errors;

namespace Commons.Node.Http;

/// <summary>
/// A page-size query parameter: absent (or empty) means the endpoint's default; anything but a whole number from 1 to the
/// maximum is a 400 naming the parameter (never silently clamped, so a client learns its request was not what it meant).
/// </summary>
public static class PageLimit
{
    public static int From(IQueryCollection query, int fallback, int max, string name = "limit")
    {
        var values = query[name];
        if (values.Count == 0 || values is [{ Length: 0 }]) return fallback;
        if (values.Count > 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit < 1 || limit > max)
            throw ValidationException.For(name, $"a whole number from 1 to {max}", ProblemCodes.InvalidParameter);
        return limit;
    }

    /// <summary>For a parameter the framework has bound as a number (so a non-number is already its 400).</summary>
    public static int Check(int? value, int fallback, int max, string name = "limit") =>
        value switch
        {
            null => fallback,
            >= 1 when value <= max => value.Value,
            _ => throw ValidationException.For(name, $"a whole number from 1 to {max}", ProblemCodes.InvalidParameter),
        };
}
