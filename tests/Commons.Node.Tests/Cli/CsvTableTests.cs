using System.Text;
using Commons.Core.Errors;
using Commons.Node.Cli;

namespace Commons.Node.Tests.Cli;

/// <summary>The strict CSV reader of <c>records import</c>, and the typing of its cells by the dataset's schema.</summary>
public sealed class CsvTableTests
{
    private static CsvTable Read(string text) => CsvTable.Read(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Quoted_fields_keep_separators_newlines_and_doubled_quotes()
    {
        var t = Read("\uFEFFname,note\r\n\"Atelier, vélo\",\"dit \"\"oui\"\"\nsur deux lignes\"\r\nplain,\r\n\n");
        Assert.Equal(["name", "note"], t.Header);
        Assert.Equal(2, t.Rows.Count);
        Assert.Equal(["Atelier, vélo", "dit \"oui\"\nsur deux lignes"], t.Rows[0].Fields);
        Assert.Equal(4, t.Rows[1].Line);
        Assert.Equal(["plain", ""], t.Rows[1].Fields);
    }

    [Fact]
    public void A_header_with_semicolons_and_no_comma_is_read_semicolon_separated()
    {
        var t = Read("name;price\nSalle, grande;12,50\n");
        Assert.Equal(["Salle, grande", "12,50"], t.Rows[0].Fields);
    }

    [Theory]
    [InlineData("a,b\n\"never closed,1\n", "line 2: a quote opened here is never closed")]
    [InlineData("a,b\n\"x\"y,1\n", "line 2: text after a closing quote")]
    [InlineData("a,b\nx\"y,1\n", "line 2: a quote in the middle of an unquoted field")]
    [InlineData("a,b\n1,2,3\n", "line 2: 3 fields where the header has 2 columns")]
    [InlineData("a,b\n1\n", "line 2: 1 fields where the header has 2 columns")]
    [InlineData("a,,b\n1,2,3\n", "line 1, column 2: a column without a name")]
    [InlineData("a,b,a\n1,2,3\n", "line 1, column 3: the column 'a' appears twice")]
    [InlineData("", "the file is empty")]
    public void Broken_csv_is_refused_naming_the_line(string text, string message)
    {
        var e = Assert.Throws<CsvException>(() => Read(text));
        Assert.Equal(ProblemCodes.CsvInvalid, e.Code);
        Assert.StartsWith(message, e.Detail);
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_invalid_unicode()
    {
        var e = Assert.Throws<CsvException>(() => CsvTable.Read([.. "a\nok\n"u8, 0xE9, (byte)'\n']));
        Assert.Equal(ProblemCodes.InvalidUnicode, e.Code);
        Assert.Contains("line 3", e.Detail);
    }

    [Fact]
    public void Cells_take_the_types_of_the_schema_and_empty_cells_leave_the_field_out()
    {
        using var temp = new TempFolder();
        var file = Path.Combine(temp.Path, "in.csv");
        File.WriteAllText(file, "id,name,count,price,active,tags,address.city\nk1,Salle,3,12.50,TRUE,\"[\"\"a\"\"]\",Gent\n,Vide,,,,,\n");
        const string schema = """
            {"type":"object","properties":{"name":{"type":"string"},"count":{"type":"integer"},"price":{"type":["number","null"]},
             "active":{"type":"boolean"},"tags":{"type":"array"},"address":{"type":"object","properties":{"city":{"type":"string"}}}}}
            """;
        var records = RecordImportFile.Read(file, schema, 32);
        Assert.Equal(("line 2", "k1"), (records[0].Where, records[0].Item.Id));
        Assert.Equal("""{"name":"Salle","count":3,"price":12.50,"active":true,"tags":["a"],"address":{"city":"Gent"}}""", records[0].Item.Data.GetRawText());
        Assert.Equal((null, """{"name":"Vide"}"""), (records[1].Item.Id, records[1].Item.Data.GetRawText()));
    }
}
