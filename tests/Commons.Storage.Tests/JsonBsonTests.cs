using System.Globalization;
using System.Text;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Text;
using Commons.Storage.Tests.Support;
using static Commons.Storage.Tests.Support.TestNode;

namespace Commons.Storage.Tests;

/// <summary>Record bodies survive JSON → BSON → JSON (and the LiteDB file) unchanged; what BSON cannot keep is refused with a path.</summary>
public class JsonBsonTests
{
    private static void AssertRoundTrip(string json)
    {
        var original = Body(json);
        var back = JsonBson.ToJson(JsonBson.ToBson(original));
        Assert.True(JsonElement.DeepEquals(original, back), $"{json}\n  came back as\n{back.GetRawText()}");
        // A second read through the buffer its thread kept writes the same bytes.
        Assert.Equal(back.GetRawText(), JsonBson.ToJson(JsonBson.ToBson(original)).GetRawText());
        // The one-walk conversion a batch uses gives the same BSON and the same search text as the two apart.
        var (bson, text) = JsonBson.ToBsonWithText(original);
        Assert.Equal(JsonBson.ToBson(original), bson);
        Assert.Equal(SearchText.FromJson(original), text);
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{ "a": 1, "b": "two", "c": true, "d": false, "e": null }""")]
    [InlineData("""{ "list": [1, "x", [2, [3, []]], { "k": {} }, null] }""")]
    [InlineData("""{ "fr": "École, ça va ? «oui»", "nl": "Brussel–Bruxelles", "ja": "日本語", "emoji": "🚲🏳️‍🌈", "ctl": "tab\there\nnl \u0001 \"q\" \\" }""")]
    [InlineData("""{ "int": 2147483647, "neg": -2147483648, "long": 9007199254740993, "max": 9223372036854775807, "min": -9223372036854775808 }""")]
    [InlineData("""{ "d": 0.1, "e": 1.5e300, "tiny": 5e-324, "neg": -273.15, "max": 1.7976931348623157e308, "third": 0.3333333333333333 }""")]
    [InlineData("""{ "a": { "b": { "c": { "d": { "e": { "f": [ { "g": "deep" } ] } } } } } }""")]
    [InlineData("""{ "a.b": 1, "$x": 2, "": 3, " ": 4, "ключ": 5, "_id": "not the record id" }""")]
    public void Values_come_back_unchanged(string json) => AssertRoundTrip(json);

    [Theory]
    [InlineData("""{ "big": 12345678901234567890 }""")]
    [InlineData("""{ "big": -98765432109876543210123 }""")]
    public void Integers_beyond_64_bits_come_back_unchanged(string json) => AssertRoundTrip(json);

    [Theory]
    [InlineData("""{ "name": 1, "Name": 2 }""", "$.Name")]
    [InlineData("""{ "contact": { "email": "a", "EMAIL": "b" } }""", "$.contact.EMAIL")]
    [InlineData("""{ "list": [ {}, { "x": 1, "X": 2 } ] }""", "$.list[1].X")]
    [InlineData("""{ "a\u0000b": 1 }""", "$.a\0b")]
    [InlineData("""{ "outer": { "ok": [ { "k\u0000": true } ] } }""", "$.outer.ok[0].k\0")]
    public void Keys_bson_cannot_keep_are_refused_with_their_path(string json, string path)
    {
        var e = Assert.Throws<ValidationException>(() => JsonBson.ToBson(Body(json)));
        Assert.Equal(path, Assert.Single(e.Errors).Path);
    }

    // Field names are made once and reused (FieldNames); these hold the cases where the raw name is not the name.
    [Fact]
    public void A_sized_document_keeps_LiteDBs_own_dictionary_and_its_case_insensitive_names()
    {
        var sized = JsonBson.SizedDocument(15);
        sized["Title"] = "a";
        Assert.Equal("a", sized["title"].AsString);
        Assert.True(((Dictionary<string, LiteDB.BsonValue>)sized.RawValue).EnsureCapacity(0) >= 15);
        // A body whose names differ only by letter case is still refused, as LiteDB's names are case-insensitive.
        Assert.Throws<ValidationException>(() => JsonBson.ToBson(Body("""{ "name": 1, "NAME": 2 }""")));
    }

    [Fact]
    public void Escaped_field_names_are_stored_unescaped()
    {
        var doc = JsonBson.ToBson(Body("""{ "\u0061b": 1, "caf\u00e9": { "\"q\"": 2 }, "plain": 3 }""")).AsDocument;
        Assert.Equal(["ab", "café", "plain"], doc.RawValue.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("\"q\"", Assert.Single(doc["café"].AsDocument.RawValue.Keys));
    }

    [Fact]
    public void Long_and_non_ascii_field_names_are_kept_whole()
    {
        var longName = new string('n', 300) + "é";
        var doc = JsonBson.ToBson(Body($$"""{ "{{longName}}": 1, "ключ": 2, "日本": 3 }""")).AsDocument;
        Assert.Equal([longName, "ключ", "日本"], doc.RawValue.Keys);
    }

    [Fact]
    public void A_field_name_seen_before_is_the_same_string()
    {
        var first = JsonBson.ToBson(Body("""{ "organisationName": 1 }""")).AsDocument.RawValue.Keys.Single();
        var second = JsonBson.ToBson(Body("""{ "organisationName": 2 }""")).AsDocument.RawValue.Keys.Single();
        Assert.Same(first, second);
    }

    [Fact]
    public void A_field_name_that_is_not_utf8_is_refused_as_the_reader_refuses_it()
    {
        using var doc = JsonDocument.Parse((byte[])[.. "{\"a"u8, 0xC3, 0x28, .. "\":1}"u8]);
        Assert.Throws<InvalidOperationException>(() => JsonBson.ToBson(doc.RootElement));
    }

    /// <summary>A property test with a fixed seed: 400 random documents of every JSON kind round-trip exactly, in memory and through the store.</summary>
    [Fact]
    public void Random_documents_round_trip()
    {
        var random = new Random(20250301);
        using var node = new TestNode();
        node.CreateDataset("any");
        for (var i = 0; i < 400; i++)
        {
            var sb = new StringBuilder();
            WriteObject(sb, random, depth: 0);
            var json = sb.ToString();
            AssertRoundTrip(json);
            if (i % 4 == 0)
            {
                var original = Body(json);
                node.Records.Create(Admin, "any", $"r{i}", original);
                var stored = node.RecordStore.Get(node.DatasetStore.Find("any")!.Key, $"r{i}")!;
                Assert.True(JsonElement.DeepEquals(original, stored.Data), $"{json}\n  was stored as\n{stored.Data.GetRawText()}");
            }
        }
    }

    private static void WriteValue(StringBuilder sb, Random r, int depth)
    {
        switch (r.Next(depth >= 5 ? 6 : 8))
        {
            case 0: sb.Append("null"); break;
            case 1: sb.Append(r.Next(2) == 0 ? "true" : "false"); break;
            case 2: sb.Append(JsonSerializer.Serialize(RandomString(r))); break;
            case 3: sb.Append(r.Next(int.MinValue, int.MaxValue).ToString(CultureInfo.InvariantCulture)); break;
            case 4: sb.Append(r.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture)); break;
            case 5:
                var d = r.Next(3) switch
                {
                    0 => r.NextDouble() * 1000 - 500,
                    1 => BitConverter.Int64BitsToDouble(r.NextInt64(0, 0x7FEFFFFFFFFFFFFF)) * (r.Next(2) == 0 ? 1 : -1),
                    _ => Math.Round(r.NextDouble() * 100, 2),
                };
                sb.Append(d.ToString("R", CultureInfo.InvariantCulture));
                break;
            case 6: WriteObject(sb, r, depth + 1); break;
            default:
                sb.Append('[');
                var n = r.Next(5);
                for (var i = 0; i < n; i++) { if (i > 0) sb.Append(','); WriteValue(sb, r, depth + 1); }
                sb.Append(']');
                break;
        }
    }

    private static void WriteObject(StringBuilder sb, Random r, int depth)
    {
        sb.Append('{');
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var n = r.Next(depth == 0 ? 1 : 0, 6);
        for (var i = 0; i < n; i++)
        {
            var key = RandomString(r);
            if (key.Contains('\0') || !keys.Add(key)) continue;
            if (keys.Count > 1) sb.Append(',');
            sb.Append(JsonSerializer.Serialize(key)).Append(':');
            WriteValue(sb, r, depth + 1);
        }
        sb.Append('}');
    }

    private static readonly string[] Pieces = ["a", "Z", "é", "ß", "ç", "日", "ж", "🚲", " ", ".", "$", "\"", "\\", "\n", "\t", "\u0001", "\u00a0", "é", "0", "_", "İ", "ı"];

    private static string RandomString(Random r)
    {
        var sb = new StringBuilder();
        var n = r.Next(0, 8);
        for (var i = 0; i < n; i++) sb.Append(Pieces[r.Next(Pieces.Length)]);
        return sb.ToString();
    }

    [Fact]
    public void A_body_read_back_for_many_records_allocates_about_its_own_size_twice()
    {
        // Its bytes and their parsed index: not a buffer grown from 256 bytes, a writer, a pooled document and its clone.
        var fields = string.Join(", ", Enumerable.Range(0, 12).Select(i => $"\"field{i}\": \"{new string((char)('a' + i), 100)}\""));
        var bson = JsonBson.ToBson(Body("{" + fields + "}"));
        var expected = JsonBson.ToJson(bson).GetRawText();
        var length = expected.Length;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var element = JsonBson.ToJson(bson);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(expected, element.GetRawText());
        Assert.InRange(allocated, length, 3 * length);
    }

    [Fact]
    public void A_very_large_body_read_back_is_whole_and_the_next_small_one_too()
    {
        var large = JsonBson.ToBson(Body($$"""{ "text": "{{new string('x', 200_000)}}" }"""));
        var small = JsonBson.ToBson(Body("""{ "n": 1 }"""));
        Assert.Equal($$"""{"text":"{{new string('x', 200_000)}}"}""", JsonBson.ToJson(large).GetRawText());
        Assert.Equal("""{"n":1}""", JsonBson.ToJson(small).GetRawText());
    }
}
