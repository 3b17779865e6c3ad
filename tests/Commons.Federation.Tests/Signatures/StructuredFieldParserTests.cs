using Commons.Federation.Signatures.StructuredFields;

namespace Commons.Federation.Tests.Signatures;

public sealed class StructuredFieldParserTests
{
    [Fact]
    public void Dictionary_with_inner_lists_items_and_parameters_round_trips()
    {
        const string value = "sig1=(\"@method\" \"@query-param\";name=\"a\");created=1;keyid=\"k\\\"q\";flag, sig2=:AQID:, n=-42, d=1.5, t=tok/en, b=?0, bare;p=1";

        var members = StructuredFieldParser.ParseDictionary(value);

        Assert.Equal(["sig1", "sig2", "n", "d", "t", "b", "bare"], members.Select(m => m.Key));
        Assert.Equal("k\"q", members[0].InnerList!.Parameters[1].Value.AsString());
        Assert.True(members[0].InnerList!.Parameters[2].Value.AsBoolean());
        Assert.Equal(new byte[] { 1, 2, 3 }, members[1].Item!.Value.AsBytes().ToArray());
        Assert.Equal(-42, members[2].Item!.Value.AsInteger());
        Assert.Equal(1.5m, members[3].Item!.Value.AsDecimal());
        Assert.Equal("tok/en", members[4].Item!.Value.AsToken());
        Assert.False(members[5].Item!.Value.AsBoolean());
        Assert.Equal(value, StructuredDictionaryMember.SerializeDictionary(members));
    }

    [Fact]
    public void Whitespace_around_members_is_tolerated()
    {
        var members = StructuredFieldParser.ParseDictionary("  a=1 ,\tb=2");

        Assert.Equal(2, members.Count);
    }

    [Theory]
    [InlineData("sig1=(\"@method\"")]               // unterminated inner list
    [InlineData("sig1=(@method)")]                  // missing quotes
    [InlineData("sig1=(\"@method);created=1")]      // unterminated string
    [InlineData("sig1=:abc*def:")]                  // bad base64 character
    [InlineData("sig1=:YWJj")]                      // unterminated byte sequence
    [InlineData("sig1=:YWJ:")]                      // bad base64 length
    [InlineData("Sig1=1")]                          // uppercase key
    [InlineData("sig1=1,")]                         // trailing comma
    [InlineData("sig1=1 sig2=2")]                   // missing comma
    [InlineData("sig1=\"caf\u00e9\"")]              // non-ASCII string
    [InlineData("sig1=1234567890123456")]           // integer too long
    [InlineData("sig1=?2")]                         // bad boolean
    [InlineData("sig1=(\"a\"\"b\")")]               // no space between items
    [InlineData("=1")]
    public void Malformed_values_are_rejected(string value)
    {
        Assert.Throws<StructuredFieldFormatException>(() => StructuredFieldParser.ParseDictionary(value));
    }

    [Fact]
    public void Later_duplicate_keys_override_earlier_ones()
    {
        var members = StructuredFieldParser.ParseDictionary("a=1, b=2, a=3");

        Assert.Equal(["a", "b"], members.Select(m => m.Key));
        Assert.Equal(3, members[0].Item!.Value.AsInteger());
    }
}
