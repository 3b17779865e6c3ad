using System.Globalization;
using System.Text;

namespace Commons.Federation.Signatures.Cavage;

/// <summary>
/// The draft-cavage-http-signatures-12 <c>Signature</c> header (§4.1):
/// <c>keyId="…",algorithm="…",created=…,expires=…,headers="…",signature="…"</c>.
/// </summary>
public sealed record CavageSignatureHeader
{
    public const string Name = "Signature";

    public required string KeyId { get; init; }

    /// <summary>The algorithm parameter as sent (e.g. rsa-sha256, hs2019); null when omitted.</summary>
    public string? Algorithm { get; init; }

    /// <summary>Covered headers, lowercased, in signing order.</summary>
    public required IReadOnlyList<string> Headers { get; init; }

    public required ReadOnlyMemory<byte> Signature { get; init; }

    public DateTimeOffset? Created { get; init; }

    public DateTimeOffset? Expires { get; init; }

    /// <summary>Whether the <c>headers</c> parameter was absent and the default list was assumed.</summary>
    public bool HeadersDefaulted { get; init; }

    public string Serialize()
    {
        var builder = new StringBuilder();
        builder.Append("keyId=\"").Append(KeyId).Append('"');
        if (Algorithm is not null)
        {
            builder.Append(",algorithm=\"").Append(Algorithm).Append('"');
        }
        if (Created is { } created)
        {
            builder.Append(",created=").Append(created.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }
        if (Expires is { } expires)
        {
            builder.Append(",expires=").Append(expires.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }
        builder.Append(",headers=\"").Append(string.Join(' ', Headers)).Append('"');
        builder.Append(",signature=\"").Append(Convert.ToBase64String(Signature.Span)).Append('"');
        return builder.ToString();
    }

    public override string ToString() => Serialize();

    /// <summary>Parses a Signature header value (or the part after "Signature " in Authorization).</summary>
    public static CavageSignatureHeader Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var parameters = CavageParameterListParser.Parse(value);
        var keyId = Required(parameters, "keyId");
        if (keyId.Length == 0)
        {
            throw new FormatException("keyId is empty.");
        }
        var signatureText = Required(parameters, "signature");
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(signatureText);
        }
        catch (FormatException)
        {
            throw new FormatException("The signature parameter is not valid base64.");
        }
        if (signature.Length == 0)
        {
            throw new FormatException("The signature parameter is empty.");
        }
        var created = ParseTime(parameters, "created");
        var headersDefaulted = !parameters.TryGetValue("headers", out var headersText);
        var headers = headersDefaulted
            // §2.1.6 says "(created)"; older drafts and Mastodon assume "date". Use the one that can exist.
            ? [created is null ? "date" : CavageSigningString.Created]
            : headersText!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(h => h.ToLowerInvariant()).ToArray();
        if (headers.Length == 0)
        {
            throw new FormatException("The headers parameter is empty.");
        }
        return new CavageSignatureHeader
        {
            KeyId = keyId,
            Algorithm = parameters.GetValueOrDefault("algorithm"),
            Headers = headers,
            Signature = signature,
            Created = created,
            Expires = ParseTime(parameters, "expires"),
            HeadersDefaulted = headersDefaulted,
        };
    }

    private static string Required(Dictionary<string, string> parameters, string name) =>
        parameters.TryGetValue(name, out var value) ? value : throw new FormatException($"Missing '{name}' parameter.");

    private static DateTimeOffset? ParseTime(Dictionary<string, string> parameters, string name)
    {
        if (!parameters.TryGetValue(name, out var text))
        {
            return null;
        }
        // The draft allows a decimal point; fractional seconds are ignored.
        var integral = text.Split('.')[0];
        if (!long.TryParse(integral, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > 253402300799)
        {
            throw new FormatException($"'{name}' is not a Unix timestamp.");
        }
        return DateTimeOffset.FromUnixTimeSeconds(seconds);
    }
}
