using System.Globalization;

namespace Commons.Node.Http;

/// <summary>
/// An endpoint's optional number or true/false query parameters (<c>int? limit</c>, <c>bool? all</c>), parsed here
/// before the handler: a value that does not parse is the problem the runtime binder gives, naming the parameter, in every
/// environment. The request delegate generator's code (Commons.Node.csproj) sets a bare 400 for such a value without saying
/// which parameter it was; this filter runs after that binding (filters run on a binding failure, the handler does not), and
/// the runtime factory throws the same problem before it. Parsed as the binder parses: <see cref="IParsable{TSelf}"/> with
/// the invariant culture, several values joined by commas, an empty value not a number.
/// </summary>
public static class QueryValueCheck
{
    /// <summary>Checks each parameter before the endpoint's handler runs.</summary>
    public static RouteHandlerBuilder CheckQuery(this RouteHandlerBuilder endpoint, params QueryValue[] parameters) =>
        endpoint.AddEndpointFilter((context, next) =>
        {
            var query = context.HttpContext.Request.Query;
            foreach (var parameter in parameters)
            {
                string? value = query[parameter.Name];
                if (value is not null && !parameter.Parses(value))
                    throw new BadHttpRequestException($"Failed to bind parameter \"Nullable<{parameter.TypeName}> {parameter.Name}\" from \"{value}\".");
            }
            return next(context);
        });
}

/// <summary>One optional query parameter of an endpoint, its type as C# names it, and how a value of it parses.</summary>
public sealed record QueryValue(string Name, string TypeName, Func<string, bool> Parses)
{
    public static QueryValue Int(string name) => new(name, "int", s => int.TryParse(s, CultureInfo.InvariantCulture, out _));
    public static QueryValue Long(string name) => new(name, "long", s => long.TryParse(s, CultureInfo.InvariantCulture, out _));
    public static QueryValue Bool(string name) => new(name, "bool", s => bool.TryParse(s, out _));
}
