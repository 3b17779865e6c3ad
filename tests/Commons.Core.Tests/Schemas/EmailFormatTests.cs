using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Schemas;

namespace Commons.Core.Tests.Schemas;

/// <summary>
/// The <c>email</c> format is checked without a regular expression or a timeout: JsonSchema.Net's check reads a match
/// timeout as "not an address", so under load valid addresses were refused. It must accept exactly what the library's
/// expression accepts (the oracle below, run without a time limit), and decide in time proportional to the value.
/// </summary>
public class EmailFormatTests
{
    // JsonSchema.Net 8.0.5's expression for `email`, applied after the part following the first '@' is mapped to ASCII.
    private static readonly Regex Oracle = new(
        """^(?(")(".+?(?<!\\)"@)|([-!#$%&'*+/=?^`{}|~A-Za-z0-9_]+(\.((?!\.)[-!#$%&'*+/=?^`{}|~A-Za-z0-9_]+))*@))(\[([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|(?i:IPv6:)[0-9A-Fa-f:.]+)\]|([A-Za-z0-9]([A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})$""");

    private static bool LibraryVerdict(string value)
    {
        if (string.IsNullOrWhiteSpace(value)) return false;
        try { value = Regex.Replace(value, "(@)(.+)$", m => m.Groups[1].Value + new IdnMapping().GetAscii(m.Groups[2].Value)); }
        catch (ArgumentException) { return false; }
        return Oracle.IsMatch(value);
    }

    [Theory]
    [InlineData("velo@atelier.brussels", true)]
    [InlineData("a.b-c+d@sub.example.be", true)]
    [InlineData("\"quoted @ local\"@example.org", true)]
    [InlineData("x@[192.168.0.1]", true)]
    [InlineData("x@[IPv6:2001:db8::1]", true)]
    [InlineData("marie@bruxelles.été", false)]
    [InlineData("marie@café.brussels", true)]
    [InlineData("velo.atelier.brussels", false)]
    [InlineData("velo@", false)]
    [InlineData(".a@b.be", false)]
    [InlineData("a..b@b.be", false)]
    [InlineData("a@b", false)]
    [InlineData("a@-b.be", false)]
    [InlineData("a@b.be\n", false)]
    [InlineData("", false)]
    public void Known_addresses(string value, bool valid) => Assert.Equal(valid, EmailFormat.IsAddress(value));

    [Fact]
    public void Agrees_with_the_library_expression_on_200000_generated_values()
    {
        // Seeded: a failure names its value and reproduces. The alphabet is what the grammar turns on.
        const string alphabet = "aZ9.@\"\\-[]:_!é IPv6xn";
        var random = new Random(20261207);
        var value = new StringBuilder();
        for (var n = 0; n < 200_000; n++)
        {
            value.Clear();
            var length = random.Next(1, 24);
            for (var i = 0; i < length; i++) value.Append(alphabet[random.Next(alphabet.Length)]);
            // Shapes that reach deep into the grammar, not only noise.
            if (n % 3 == 0) value.Insert(random.Next(value.Length + 1), "@ex.be");
            if (n % 7 == 0) value.Insert(0, '"');
            var text = value.ToString();
            Assert.True(LibraryVerdict(text) == EmailFormat.IsAddress(text), $"disagree on {JsonSerializer.Serialize(text)}");
        }
    }

    [Fact]
    public void A_schema_with_format_email_uses_it()
    {
        var schema = RecordSchema.For("""{ "type": "object", "properties": { "e": { "type": "string", "format": "email" } } }""");
        Assert.Empty(schema.Validate(JsonDocument.Parse("""{ "e": "velo@atelier.brussels" }""").RootElement));
        Assert.Equal("$.e", Assert.Single(schema.Validate(JsonDocument.Parse("""{ "e": "velo@" }""").RootElement)).Path);
    }

    [Fact]
    public void A_long_hostile_value_is_decided_in_one_pass()
    {
        // Many '"@' pairs and a failing end: an expression that backtracks tries each; this walks the value a few times.
        // The verdict is what is asserted; its time is measured in bench/, not here.
        var hostile = "\"" + string.Concat(Enumerable.Repeat("a\"@", 60_000)) + "!";
        Assert.False(EmailFormat.IsAddress(hostile));
        Assert.False(EmailFormat.IsAddress(new string('a', 200_000) + "@" + new string('b', 200_000)));
    }
}
