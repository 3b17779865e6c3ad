using System.Globalization;
using System.Text;
using System.Text.Json;
using Commons.Core.Text;

namespace Commons.Core.Tests.Text;

/// <summary>
/// The folded search text is the same as the plain definition gives (strings joined by newlines, NFD, marks dropped,
/// lower-cased letter by letter, NFC), whichever shortcut the folding takes: ASCII only, escaped JSON, text whose
/// decomposition is much longer than itself.
/// </summary>
public sealed class SearchTextTests
{
    private static string ReferenceFold(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is not (UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark))
                sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString().Normalize(NormalizationForm.FormC);
    }

    private static string ReferenceFromJson(JsonElement element)
    {
        var sb = new StringBuilder();
        void Collect(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String: sb.Append(e.GetString()).Append('\n'); break;
                case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) Collect(p.Value); break;
                case JsonValueKind.Array: foreach (var v in e.EnumerateArray()) Collect(v); break;
            }
        }
        Collect(element);
        return ReferenceFold(sb.ToString());
    }

    public static TheoryData<string> Texts => new()
    {
        "", "plain ASCII, MIXED case: 42 [x] {y}", "École", "Coopérative Bâtir Ensemble", "coöperatie", "İstanbul ıi", "ΣΊΣΥΦΟΣ",
        "ﬁne ligature", "한국어 텍스트", "हिन्दी", "a\u0301\u0327 combining", "😀 emoji 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "Å Å Ω Ω", "ß ẞ",
        string.Concat(Enumerable.Repeat("ǖ", 200)), string.Concat(Enumerable.Repeat("ΐ", 300)), new string('A', 5000) + "é",
    };

    [Theory, MemberData(nameof(Texts))]
    public void Fold_is_the_plain_definition(string text) => Assert.Equal(ReferenceFold(text), SearchText.Fold(text));

    [Fact]
    public void Ascii_is_lower_cased_only() => Assert.Equal("hello, world! 123", SearchText.Fold("HeLLo, World! 123"));

    [Theory, MemberData(nameof(Texts))]
    public void A_body_folds_as_its_strings_joined_by_newlines(string text)
    {
        // Written escaped (\u00e9, \ud83d\ude00) and unescaped, nested in objects and arrays, beside numbers and names.
        foreach (var encoder in new[] { System.Text.Encodings.Web.JavaScriptEncoder.Default, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })
        {
            var json = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["title"] = text, ["n"] = 3, ["ok"] = true, ["none"] = null, [text] = "name is not text",
                ["nested"] = new object[] { text, 4.5, new Dictionary<string, object> { ["deep"] = new[] { "Deux", text } } },
            }, new JsonSerializerOptions { Encoder = encoder });
            using var doc = JsonDocument.Parse(json);
            Assert.Equal(ReferenceFromJson(doc.RootElement), SearchText.FromJson(doc.RootElement));
        }
    }

    [Theory]
    [InlineData("\"Été\"")]
    [InlineData("12")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    public void Any_json_value_folds_as_the_definition_says(string json)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(ReferenceFromJson(doc.RootElement), SearchText.FromJson(doc.RootElement));
    }

    [Fact]
    public void An_element_inside_a_document_folds_only_its_own_strings()
    {
        using var doc = JsonDocument.Parse("""{"before":"Avant","inner":{"a":"Dédans"},"after":"Après"}""");
        Assert.Equal("dedans\n", SearchText.FromJson(doc.RootElement.GetProperty("inner")));
    }
}
