using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Json.More;
using Json.Schema;

namespace Commons.Core.Schemas;

/// <summary>
/// The checker could not give a verdict it is sure JsonSchema.Net shares (a pattern ran out of time, a property name
/// appears twice, too many references followed): JsonSchema.Net decides instead.
/// </summary>
internal sealed class VerdictUnknown : Exception;

/// <summary>What one record's check has followed so far; bounded well below what JsonSchema.Net allows (<see cref="RefBudget"/>).</summary>
internal struct VerdictWalk
{
    public int RefSteps;
    public int RefDepth;
}

/// <summary>One keyword of a compiled subschema: does the value satisfy it?</summary>
internal abstract class VerdictCheck
{
    public abstract bool Holds(JsonElement value, ref VerdictWalk walk);
}

/// <summary>A subschema: every one of its keywords holds. A boolean schema is one with no keyword (true) or <see cref="Never"/>.</summary>
internal sealed class SubschemaCheck(VerdictCheck[] keywords) : VerdictCheck
{
    public VerdictCheck[] Keywords { get; set; } = keywords;

    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        foreach (var keyword in Keywords)
            if (!keyword.Holds(value, ref walk)) return false;
        return true;
    }
}

internal sealed class Never : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk) => false;
}

/// <summary>
/// <c>type</c>, with the library's own notion of a value's type: an integer is a number <c>TryGetInt64</c> reads, or
/// one whose double has no fraction (1.0, and 1.0000000000000000001 too).
/// </summary>
internal sealed class TypeCheck(SchemaValueType expected) : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        var actual = value.GetSchemaValueType();
        // Flags tested with '&': Enum.HasFlag boxes both values until the method is optimised, once per value of every record.
        if ((expected & actual) == actual || (actual == SchemaValueType.Integer && (expected & SchemaValueType.Number) != 0)) return true;
        if (actual != SchemaValueType.Number || (expected & SchemaValueType.Integer) == 0) return false;
        var n = value.GetDouble();
        return n == Math.Truncate(n);
    }
}

/// <summary><c>enum</c> and <c>const</c>: the library's JSON equivalence, with strings compared without allocating.</summary>
internal sealed class EnumCheck(JsonElement[] allowed) : VerdictCheck
{
    private readonly string?[] _strings = allowed.Select(a => a.ValueKind == JsonValueKind.String ? a.GetString() : null).ToArray();

    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            foreach (var s in _strings)
                if (s is not null && value.ValueEquals(s)) return true;
            return false;
        }
        foreach (var a in allowed)
            if (a.ValueKind != JsonValueKind.String && a.IsEquivalentTo(value)) return true;
        return false;
    }
}

/// <summary>
/// <c>minLength</c>/<c>maxLength</c>, in text elements (grapheme clusters) as the library counts them. Below U+0300
/// and without a carriage return (CR LF is one element) every UTF-16 unit is one element, so the usual Latin text is
/// counted without <see cref="System.Globalization.StringInfo"/>.
/// </summary>
internal sealed class LengthCheck(long min, long max) : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        if (value.ValueKind != JsonValueKind.String) return true;
        // The text is copied into a buffer, not made a string: every string of every record is measured.
        var reader = new Utf8JsonReader(JsonMarshal.GetRawUtf8Value(value));
        reader.Read();
        var bound = reader.ValueSpan.Length; // unescaping never lengthens: a byte or an escape gives at most one UTF-16 unit
        char[]? rented = null;
        var buffer = bound <= 256 ? stackalloc char[256] : rented = ArrayPool<char>.Shared.Rent(bound);
        try
        {
            var text = buffer[..reader.CopyString(buffer)];
            var length = text.ContainsAnyExceptInRange('\u0000', '\u02FF') || text.Contains('\r') ? TextElements(text) : text.Length;
            return length >= min && length <= max;
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>What <see cref="System.Globalization.StringInfo.LengthInTextElements"/> counts, on a span.</summary>
    private static int TextElements(ReadOnlySpan<char> text)
    {
        var count = 0;
        while (!text.IsEmpty)
        {
            text = text[System.Globalization.StringInfo.GetNextTextElementLength(text)..];
            count++;
        }
        return count;
    }
}

/// <summary><c>pattern</c>, ECMAScript and with the node's time limit; out of time, the library decides (and reports it).</summary>
internal sealed class PatternCheck(Regex regex) : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        if (value.ValueKind != JsonValueKind.String) return true;
        try { return regex.IsMatch(value.GetString()!); }
        catch (RegexMatchTimeoutException) { throw new VerdictUnknown(); }
    }
}

/// <summary>The numeric bounds, compared by the library's own arithmetic on the JSON numbers (<see cref="JsonMath"/>).</summary>
internal sealed class NumberCheck(JsonElement? minimum, JsonElement? maximum, JsonElement? exclusiveMinimum, JsonElement? exclusiveMaximum, JsonElement? multipleOf)
    : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        if (value.ValueKind != JsonValueKind.Number) return true;
        return (minimum is not { } min || JsonMath.NumberCompare(value, min) >= 0)
            && (maximum is not { } max || JsonMath.NumberCompare(value, max) <= 0)
            && (exclusiveMinimum is not { } xmin || JsonMath.NumberCompare(value, xmin) > 0)
            && (exclusiveMaximum is not { } xmax || JsonMath.NumberCompare(value, xmax) < 0)
            && (multipleOf is not { } m || JsonMath.Divides(value, m));
    }
}

/// <summary><c>format</c>, checked by the very format object the library's evaluation uses.</summary>
internal sealed class FormatCheck(Format format) : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk) => format.Validate(value, out _);
}

/// <summary>
/// <c>properties</c>, <c>additionalProperties</c>, <c>required</c>, <c>minProperties</c>/<c>maxProperties</c> of one
/// object, in one pass over its members. Names are compared as UTF-8, without allocating.
/// </summary>
internal sealed class ObjectCheck(
    (byte[] Name, VerdictCheck Check)[] properties, VerdictCheck? additional, byte[][] required, long minProperties, long maxProperties)
    : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        if (value.ValueKind != JsonValueKind.Object) return true;
        // One bit per declared property seen: a name seen twice (JsonDocument keeps both) is left to the library.
        Span<ulong> seen = stackalloc ulong[(properties.Length + 63) / 64];
        var count = 0;
        foreach (var member in value.EnumerateObject())
        {
            count++;
            var declared = -1;
            for (var i = 0; i < properties.Length; i++)
                if (member.NameEquals(properties[i].Name)) { declared = i; break; }
            if (declared < 0)
            {
                if (additional is not null && !additional.Holds(member.Value, ref walk)) return false;
                continue;
            }
            ref var word = ref seen[declared >> 6];
            var bit = 1UL << (declared & 63);
            if ((word & bit) != 0) throw new VerdictUnknown();
            word |= bit;
            if (!properties[declared].Check.Holds(member.Value, ref walk)) return false;
        }
        if (count < minProperties || count > maxProperties) return false;
        foreach (var name in required)
            if (!value.TryGetProperty(name, out _)) return false;
        return true;
    }
}

/// <summary><c>prefixItems</c>, <c>items</c>, <c>minItems</c>/<c>maxItems</c>, <c>uniqueItems</c> of one array.</summary>
internal sealed class ArrayCheck(VerdictCheck[] prefix, VerdictCheck? items, long minItems, long maxItems, bool unique) : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        if (value.ValueKind != JsonValueKind.Array) return true;
        var length = value.GetArrayLength();
        if (length < minItems || length > maxItems) return false;
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            var check = i < prefix.Length ? prefix[i] : items;
            if (check is not null && !check.Holds(item, ref walk)) return false;
            i++;
        }
        if (unique)
            for (var a = 0; a < length; a++)
            {
                // The library hashes items as decimals and throws on a number beyond decimal: it keeps that record.
                if (!FitsDecimal(value[a])) throw new VerdictUnknown();
                for (var b = a + 1; b < length; b++)
                    if (value[a].IsEquivalentTo(value[b])) return false;
            }
        return true;
    }

    private static bool FitsDecimal(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.TryGetDecimal(out _),
        JsonValueKind.Array => e.EnumerateArray().All(FitsDecimal),
        JsonValueKind.Object => e.EnumerateObject().All(p => FitsDecimal(p.Value)),
        _ => true,
    };
}

/// <summary>
/// A local <c>$ref</c>: the target's check, counted against a budget far below the library's, so that a verdict given
/// here is never one the library would have refused for following too many references.
/// </summary>
internal sealed class RefCheck : VerdictCheck
{
    public const int MaxSteps = SchemaLimits.MaxRefSteps / 4;
    public const int MaxDepth = SchemaLimits.MaxRefDepth / 2;

    public VerdictCheck Target { get; set; } = new Never();

    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        if (++walk.RefSteps > MaxSteps || ++walk.RefDepth > MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            throw new VerdictUnknown();
        try { return Target.Holds(value, ref walk); }
        finally { walk.RefDepth--; }
    }
}

/// <summary>
/// <c>allOf</c>, <c>anyOf</c>, <c>oneOf</c>. <c>anyOf</c> tries every branch, as the library does: stopping at the first
/// that holds would skip references the library follows and counts.
/// </summary>
internal sealed class CombinationCheck(string keyword, VerdictCheck[] branches) : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk)
    {
        var holding = 0;
        foreach (var branch in branches)
        {
            if (branch.Holds(value, ref walk)) holding++;
            else if (keyword == "allOf") return false;
        }
        return keyword switch { "allOf" => true, "anyOf" => holding > 0, _ => holding == 1 };
    }
}

internal sealed class NotCheck(VerdictCheck inner) : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk) => !inner.Holds(value, ref walk);
}

/// <summary><c>if</c>/<c>then</c>/<c>else</c>; a missing branch holds.</summary>
internal sealed class ConditionCheck(VerdictCheck condition, VerdictCheck? then, VerdictCheck? otherwise) : VerdictCheck
{
    public override bool Holds(JsonElement value, ref VerdictWalk walk) =>
        condition.Holds(value, ref walk) ? then?.Holds(value, ref walk) ?? true : otherwise?.Holds(value, ref walk) ?? true;
}
