using System.Text;
using Commons.Federation.Signatures.Messages;

namespace Commons.Federation.Signatures.Rfc9421;

/// <summary>Creates the signature base of RFC 9421 §2.5: one line per covered component, then @signature-params.</summary>
public static class SignatureBaseBuilder
{
    public static string Build(SignableHttpMessage message, SignatureInput input)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(input);
        var builder = new StringBuilder();
        foreach (var component in input.Components)
        {
            var value = ComponentValueResolver.Resolve(message, component);
            if (!value.All(c => c is >= ' ' and <= '~' or '\t'))
            {
                throw new SignatureComponentException($"Component '{component.Name}' is not printable ASCII.");
            }
            builder.Append(component.Serialize()).Append(": ").Append(value).Append('\n');
        }
        builder.Append('"').Append(DerivedComponentNames.SignatureParams).Append("\": ").Append(input.SerializeSignatureParams());
        return builder.ToString();
    }
}
