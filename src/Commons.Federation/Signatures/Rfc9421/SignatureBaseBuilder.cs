using System.Buffers;
using System.Text;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Signatures.Rfc9421;

/// <summary>Creates the signature base of RFC 9421 §2.5: one line per covered component, then @signature-params.</summary>
public static class SignatureBaseBuilder
{
    // RFC 9421 §2.1: component values are printable ASCII (space to tilde) or tab.
    private static readonly SearchValues<char> Printable = SearchValues.Create("	" + string.Concat(Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c)));

    /// <summary>The text before the <c>@signature-params</c> value on the base's last line.</summary>
    internal const string SignatureParamsLinePrefix = "\"" + DerivedComponentNames.SignatureParams + "\": ";

    public static string Build(SignableHttpMessage message, SignatureInput input)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(input);
        var builder = new StringBuilder(512);
        foreach (var component in input.Components)
        {
            var value = ComponentValueResolver.Resolve(message, component);
            if (value.AsSpan().ContainsAnyExcept(Printable))
            {
                throw new SignatureComponentException($"Component '{component.Name}' is not printable ASCII.");
            }
            builder.Append(component.Serialize()).Append(": ").Append(value).Append('\n');
        }
        builder.Append(SignatureParamsLinePrefix).Append(input.SerializeSignatureParams());
        return builder.ToString();
    }
}
