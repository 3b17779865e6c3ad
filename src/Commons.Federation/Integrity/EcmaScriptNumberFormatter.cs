using System.Globalization;
using System.Text;

namespace Commons.Federation.Integrity;

/// <summary>
/// Formats a double as ECMAScript's Number.prototype.toString does (ECMA-262 Number::toString, radix 10),
/// which RFC 8785 §3.2.2.3 mandates. The shortest round-trip digits come from .NET's "R" formatting
/// (shortest round-trippable since .NET Core 3.0); only the layout is ECMAScript-specific.
/// </summary>
public static class EcmaScriptNumberFormatter
{
    public static string Format(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentException("NaN and Infinity have no JSON representation.", nameof(value));
        }
        if (value == 0)
        {
            return "0"; // also for -0
        }
        var (digits, pointPosition) = ShortestDigits(Math.Abs(value));
        var builder = new StringBuilder(32);
        if (value < 0)
        {
            builder.Append('-');
        }
        var k = digits.Length;
        var n = pointPosition;
        if (k <= n && n <= 21)
        {
            builder.Append(digits).Append('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            builder.Append(digits, 0, n).Append('.').Append(digits, n, k - n);
        }
        else if (-6 < n && n <= 0)
        {
            builder.Append("0.").Append('0', -n).Append(digits);
        }
        else
        {
            var exponent = n - 1;
            builder.Append(digits[0]);
            if (k > 1)
            {
                builder.Append('.').Append(digits, 1, k - 1);
            }
            builder.Append('e').Append(exponent < 0 ? '-' : '+').Append(Math.Abs(exponent).ToString(CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    /// <summary>
    /// The shortest decimal digits d1…dk (no leading or trailing zeros) and n such that
    /// value = 0.d1…dk × 10^n.
    /// </summary>
    private static (string Digits, int PointPosition) ShortestDigits(double positive)
    {
        var text = positive.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? text : text[..dot];
        var fractionPart = dot < 0 ? string.Empty : text[(dot + 1)..];
        var digits = integerPart + fractionPart;
        var pointPosition = integerPart.Length + exponent;
        var leadingZeros = 0;
        while (leadingZeros < digits.Length - 1 && digits[leadingZeros] == '0')
        {
            leadingZeros++;
        }
        digits = digits[leadingZeros..];
        pointPosition -= leadingZeros;
        digits = digits.TrimEnd('0');
        return (digits, pointPosition);
    }
}
