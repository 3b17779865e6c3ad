using Commons.Federation.Integrity;

namespace Commons.Federation.Tests.Integrity;

public sealed class JsonCanonicalizerTests
{
    // RFC 8785 Appendix B: IEEE 754 bit patterns and their ECMAScript serialization.
    [Theory]
    [InlineData(0x0000000000000000UL, "0")]
    [InlineData(0x8000000000000000UL, "0")]
    [InlineData(0x0000000000000001UL, "5e-324")]
    [InlineData(0x8000000000000001UL, "-5e-324")]
    [InlineData(0x7fefffffffffffffUL, "1.7976931348623157e+308")]
    [InlineData(0xffefffffffffffffUL, "-1.7976931348623157e+308")]
    [InlineData(0x4340000000000000UL, "9007199254740992")]
    [InlineData(0xc340000000000000UL, "-9007199254740992")]
    [InlineData(0x4430000000000000UL, "295147905179352830000")]
    [InlineData(0x44b52d02c7e14af5UL, "9.999999999999997e+22")]
    [InlineData(0x44b52d02c7e14af6UL, "1e+23")]
    [InlineData(0x44b52d02c7e14af7UL, "1.0000000000000001e+23")]
    [InlineData(0x444b1ae4d6e2ef4eUL, "999999999999999700000")]
    [InlineData(0x444b1ae4d6e2ef4fUL, "999999999999999900000")]
    [InlineData(0x444b1ae4d6e2ef50UL, "1e+21")]
    [InlineData(0x3eb0c6f7a0b5ed8cUL, "9.999999999999997e-7")]
    [InlineData(0x3eb0c6f7a0b5ed8dUL, "0.000001")]
    [InlineData(0x41b3de4355555553UL, "333333333.3333332")]
    [InlineData(0x41b3de4355555554UL, "333333333.33333325")]
    [InlineData(0x41b3de4355555555UL, "333333333.3333333")]
    [InlineData(0x41b3de4355555556UL, "333333333.3333334")]
    [InlineData(0x41b3de4355555557UL, "333333333.33333343")]
    [InlineData(0xbecbf647612f3696UL, "-0.0000033333333333333333")]
    [InlineData(0x43143ff3c1cb0959UL, "1424953923781206.2")]
    public void Numbers_follow_ecmascript_serialization(ulong bits, string expected)
    {
        Assert.Equal(expected, EcmaScriptNumberFormatter.Format(BitConverter.UInt64BitsToDouble(bits)));
    }

    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(-71.184902, "-71.184902")]
    [InlineData(0.1, "0.1")]
    [InlineData(100, "100")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1.5e-7, "1.5e-7")]
    [InlineData(123e-20, "1.23e-18")]
    public void Common_numbers_serialize_like_javascript(double value, string expected)
    {
        Assert.Equal(expected, EcmaScriptNumberFormatter.Format(value));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_numbers_are_rejected(double value)
    {
        Assert.Throws<ArgumentException>(() => EcmaScriptNumberFormatter.Format(value));
    }

    [Fact]
    public void Rfc8785_section_3_2_2_example_is_reproduced()
    {
        const string input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;

        Assert.Equal(
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
            JsonCanonicalizer.Canonicalize(input));
    }

    [Fact]
    public void Rfc8785_section_3_2_3_keys_sort_by_utf16_code_units()
    {
        const string input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        Assert.Equal(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\"," +
            "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            JsonCanonicalizer.Canonicalize(input));
    }

    [Fact]
    public void Nested_objects_are_sorted_and_whitespace_removed()
    {
        Assert.Equal("{\"a\":{\"x\":1,\"y\":[2,{\"b\":1,\"c\":2}]},\"b\":\"s\"}",
            JsonCanonicalizer.Canonicalize("{ \"b\" : \"s\", \"a\": { \"y\": [2, {\"c\":2,\"b\":1}], \"x\": 1.0 } }"));
    }

    [Fact]
    public void Duplicate_member_names_are_rejected()
    {
        Assert.Throws<FormatException>(() => JsonCanonicalizer.Canonicalize("{\"a\":1,\"a\":2}"));
    }

    [Fact]
    public void Lone_surrogates_are_rejected()
    {
        Assert.ThrowsAny<Exception>(() => JsonCanonicalizer.Canonicalize("{\"a\":\"\\ud800\"}"));
    }
}
