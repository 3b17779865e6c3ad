using System.Globalization;
using System.Text;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Signatures.Rfc9421;

/// <summary>Computes the value of a covered component for a message (RFC 9421 §2.1 and §2.2).</summary>
public static class ComponentValueResolver
{
    public static string Resolve(SignableHttpMessage message, ComponentIdentifier component)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(component);
        if (!component.IsDerived)
        {
            if (component.Parameters.Count > 0)
            {
                throw new SignatureComponentException($"Parameters on header component '{component.Name}' are not supported.");
            }
            return message.Headers.GetCombinedValue(component.Name)
                ?? throw new SignatureComponentException($"The message has no '{component.Name}' header.");
        }
        if (component.Name != DerivedComponentNames.QueryParam && component.Parameters.Count > 0)
        {
            throw new SignatureComponentException($"Parameters on '{component.Name}' are not supported.");
        }
        return component.Name switch
        {
            DerivedComponentNames.Method => RequireRequest(message).Method!,
            DerivedComponentNames.TargetUri => RequireRequest(message).RequireTargetUri().AbsoluteUri,
            DerivedComponentNames.Authority => RequireRequest(message).RequireTargetUri().Authority.ToLowerInvariant(),
            DerivedComponentNames.Scheme => RequireRequest(message).RequireTargetUri().Scheme.ToLowerInvariant(),
            DerivedComponentNames.RequestTarget => RequestTarget(RequireRequest(message).RequireTargetUri()),
            DerivedComponentNames.Path => Path(RequireRequest(message).RequireTargetUri()),
            DerivedComponentNames.Query => Query(RequireRequest(message).RequireTargetUri()),
            DerivedComponentNames.QueryParam => QueryParam(RequireRequest(message).RequireTargetUri(), component),
            DerivedComponentNames.Status => message.StatusCode?.ToString("000", CultureInfo.InvariantCulture)
                ?? throw new SignatureComponentException("@status is only defined for responses."),
            _ => throw new SignatureComponentException($"Unknown derived component '{component.Name}'."),
        };
    }

    /// <summary>Path and query as sent in the request line (origin-form), used by @request-target and cavage (request-target).</summary>
    public static string RequestTarget(Uri uri) => Path(uri) + uri.Query;

    private static string Path(Uri uri) => uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath;

    private static string Query(Uri uri) => uri.Query.Length == 0 ? "?" : uri.Query;

    private static string QueryParam(Uri uri, ComponentIdentifier component)
    {
        var wanted = component.GetStringParameter("name")
            ?? throw new SignatureComponentException("@query-param needs a string 'name' parameter.");
        var wantedDecoded = FormDecode(wanted);
        string? found = null;
        var query = uri.Query.TrimStart('?');
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = FormDecode(equals < 0 ? pair : pair[..equals]);
            if (name != wantedDecoded)
            {
                continue;
            }
            if (found is not null)
            {
                // §2.2.8: a repeated parameter name cannot be signed individually.
                throw new SignatureComponentException($"Query parameter '{wanted}' occurs more than once.");
            }
            found = PercentEncode(FormDecode(equals < 0 ? string.Empty : pair[(equals + 1)..]));
        }
        return found ?? throw new SignatureComponentException($"The query has no parameter '{wanted}'.");
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));

    // Re-encodes with the application/x-www-form-urlencoded percent-encode set, spaces as %20 (RFC 9421 §2.2.8).
    private static string PercentEncode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '*' or '-' or '.' or '_')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    private static SignableHttpMessage RequireRequest(SignableHttpMessage message) =>
        message.IsRequest ? message : throw new SignatureComponentException("Request components are not available on a response.");
}
