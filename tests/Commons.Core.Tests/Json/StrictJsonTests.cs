using System.Text;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Json;

namespace Commons.Core.Tests.Json;

/// <summary>The strict reader refuses what System.Text.Json reads but the node cannot keep, and says which rule failed.</summary>
public sealed class StrictJsonTests
{
    private static StrictJsonError? Refusal(string json, int maxDepth = 32) => Refusal(Encoding.UTF8.GetBytes(json), maxDepth);

    private static StrictJsonError? Refusal(byte[] bytes, int maxDepth = 32)
    {
        using var doc = StrictJson.TryParse(bytes, maxDepth, out var error);
        Assert.True(doc is null == error is not null);
        return error;
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "$.a")]
    [InlineData("""{"a":{"b":["ok","\udfff"]}}""", "$.a.b[1]")]
    [InlineData("""{"\ud800":1}""", "$")]
    [InlineData("""{"a":{"x\udc00":1}}""", "$.a")]
    [InlineData("""["\ude00\ud83d"]""", "$[0]")]
    [InlineData("\"\\ud800\"", "$")]
    public void A_lone_surrogate_in_a_value_or_name_is_invalid_unicode_at_its_path(string json, string path)
    {
        var error = Refusal(json);
        Assert.Equal(ProblemCodes.InvalidUnicode, error?.Code);
        Assert.Equal(path, error!.Path);
    }

    [Theory]
    [InlineData("""{"a":"\ud83d\ude00"}""")]
    [InlineData("""{"\ud83d\ude00":"é"}""")]
    [InlineData("""{"a":[1,{"b":null}],"c":true}""")]
    public void Valid_text_and_pairs_are_read(string json) => Assert.Null(Refusal(json));

    [Fact]
    public void Invalid_utf8_is_invalid_unicode() =>
        Assert.Equal(ProblemCodes.InvalidUnicode, Refusal([.. "{\"a\":\""u8, 0xC3, 0x28, .. "\"}"u8])?.Code);

    [Theory]
    [InlineData("""{"a":1,"a":2}""")]
    [InlineData("""{"a":{"b":1,"b":1}}""")]
    [InlineData("""[{"k":1},{"k":1,"k":2}]""")]
    [InlineData("""{"\u0061":1,"a":2}""")]
    public void A_name_twice_in_one_object_is_a_duplicate_key(string json) =>
        Assert.Equal(ProblemCodes.DuplicateKey, Refusal(json)?.Code);

    [Fact]
    public void The_same_name_in_different_objects_is_fine() => Assert.Null(Refusal("""{"a":{"k":1},"b":{"k":1}}"""));

    [Theory]
    [InlineData("""{"a":1""")]
    [InlineData("""{"a":[1,2""")]
    [InlineData("""{"a":"unterminated""")]
    [InlineData("[")]
    public void A_truncated_document_ends_early(string json)
    {
        var error = Refusal(json);
        Assert.Equal(ProblemCodes.MalformedJson, error?.Code);
        Assert.Contains("ends before", error!.Message);
    }

    [Fact]
    public void Deep_nesting_is_too_deep_even_when_also_truncated_later()
    {
        Assert.Equal(ProblemCodes.JsonTooDeep, Refusal(new string('[', 40) + new string(']', 40))?.Code);
        Assert.Equal(ProblemCodes.MalformedJson, Refusal(new string('[', 40))?.Code);
    }

    [Theory]
    [InlineData("""{"a":1,}""")]
    [InlineData("""{'a':1}""")]
    [InlineData("nope")]
    [InlineData("")]
    [InlineData("   ")]
    public void Other_syntax_errors_are_malformed_json(string json) =>
        Assert.Equal(ProblemCodes.MalformedJson, Refusal(json)?.Code);

    // FirstInvalidText decodes only escaped text and checks the rest as UTF-8; these hold each side of that shortcut.
    [Theory]
    [InlineData("""{"a":"\u00e9t\u00e9","\u00e9":["\ud83d\ude00"]}""")]
    [InlineData("""{"a":"été","é":["😀"]}""")]
    public void Escaped_or_not_valid_text_is_valid(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Null(StrictJson.FirstInvalidText(doc.RootElement));
    }

    [Fact]
    public void Invalid_utf8_in_an_unescaped_string_of_a_parsed_element_is_found_at_its_path()
    {
        using var doc = JsonDocument.Parse((byte[])[.. "{\"a\":[\"ok\",\""u8, 0xC3, 0x28, .. "\"]}"u8]);
        Assert.Equal("$.a[1]", StrictJson.FirstInvalidText(doc.RootElement));
    }

    [Fact]
    public void Invalid_utf8_in_an_unescaped_name_is_found()
    {
        using var doc = JsonDocument.Parse((byte[])[.. "{\"b\":{\""u8, 0xED, 0xA0, 0x80, .. "\":1}}"u8]);
        Assert.Equal("$.b", StrictJson.FirstInvalidText(doc.RootElement));
    }

    [Fact]
    public void A_lone_surrogate_is_found_in_an_element_read_with_comments_and_trailing_commas()
    {
        using var doc = JsonDocument.Parse("""{"a": /* note */ ["x", "\udc00",], }""",
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Assert.Equal("$.a[1]", StrictJson.FirstInvalidText(doc.RootElement));
    }

    [Fact]
    public void Only_the_element_itself_is_checked()
    {
        using var doc = JsonDocument.Parse("""{"bad":"\ud800","good":{"a":"\u00e9"}}""");
        Assert.Null(StrictJson.FirstInvalidText(doc.RootElement.GetProperty("good")));
        Assert.Equal("$", StrictJson.FirstInvalidText(doc.RootElement.GetProperty("bad")));
    }
}
