using System.Globalization;
using System.Text;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Signatures.Rfc9421;

namespace Commons.Federation.Signatures.Cavage;

/// <summary>Builds the draft-cavage-12 signing string (§2.3): one <c>name: value</c> line per covered header.</summary>
public static class CavageSigningString
{
    public const string RequestTarget = "(request-target)";
    public const string Created = "(created)";
    public const string Expires = "(expires)";

    public static string Build(SignableHttpMessage message, IReadOnlyList<string> headers, DateTimeOffset? created = null, DateTimeOffset? expires = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(headers);
        var lines = new List<string>(headers.Count);
        foreach (var header in headers)
        {
            var name = header.ToLowerInvariant();
            lines.Add(name + ": " + Value(message, name, created, expires));
        }
        return string.Join('\n', lines);
    }

    private static string Value(SignableHttpMessage message, string name, DateTimeOffset? created, DateTimeOffset? expires)
    {
        switch (name)
        {
            case RequestTarget:
                if (!message.IsRequest)
                {
                    throw new SignatureComponentException("(request-target) is only defined for requests.");
                }
                return message.Method!.ToLowerInvariant() + " " + ComponentValueResolver.RequestTarget(message.RequireTargetUri());
            case Created:
                return (created ?? throw new SignatureComponentException("(created) is covered but the created parameter is absent."))
                    .ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            case Expires:
                return (expires ?? throw new SignatureComponentException("(expires) is covered but the expires parameter is absent."))
                    .ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            case "host" when !message.Headers.Contains("host") && message.TargetUri is not null:
                return message.TargetUri.Authority;
            default:
                var value = message.Headers.GetCombinedValue(name)
                    ?? throw new SignatureComponentException($"The message has no '{name}' header.");
                return value;
        }
    }

    public static byte[] ToBytes(string signingString)
    {
        if (!signingString.All(c => c is >= ' ' and <= '~' or '\t' or '\n'))
        {
            throw new SignatureComponentException("The signing string is not printable ASCII.");
        }
        return Encoding.ASCII.GetBytes(signingString);
    }
}
