using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Record = Commons.Core.Records.Record;
using Commons.Node.Web.Display;

namespace Commons.Node.Tests.Web;

/// <summary>The records table's rows, written outside Razor: every value passes the node's HTML encoder, as text and as attribute.</summary>
public sealed class RecordRowsTests
{
    private static readonly HtmlEncoder NodeEncoder = HtmlEncoder.Create(new TextEncoderSettings(UnicodeRanges.All));

    private static string Rows(string data, string id, bool canOpen)
    {
        var record = new Record
        {
            Id = id, Revision = 1, Data = JsonDocument.Parse(data).RootElement.Clone(), Shared = true,
            CreatedAt = DateTimeOffset.UnixEpoch, CreatedBy = "a", UpdatedAt = DateTimeOffset.UnixEpoch, UpdatedBy = "a",
        };
        var columns = new[] { new RecordsTable.Column("notes", "<i>Notes</i> \"&\"", false) };
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        new RecordRows(NodeEncoder, output).Write([record], columns, new RecordRows.Words("oui", "non", "Partagé", "Modifié"),
            r => r.Data.GetProperty("name").GetString()!, canOpen, "lieux é");
        return output.ToString();
    }

    [Fact]
    public void Values_labels_and_ids_are_encoded_as_text_and_attributes()
    {
        var html = Rows("""{ "name": "<b>Salle</b> \"A\" & 'co' é", "notes": "<script>alert(1)</script>" }""", "r\"1<", canOpen: true);

        Assert.StartsWith("<tr data-record=\"r&quot;1&lt;\"><th scope=\"row\" class=\"record-title\"><a href=\"/datasets/lieux%20%C3%A9/records/r%221%3C\">"
            + "&lt;b&gt;Salle&lt;/b&gt; &quot;A&quot; &amp; &#x27;co&#x27; é</a></th>", html);
        Assert.Contains("<td data-label=\"&lt;i&gt;Notes&lt;/i&gt; &quot;&amp;&quot;\" class=\"long-word\">&lt;script&gt;alert(1)&lt;/script&gt;</td>", html);
        Assert.Contains("<td data-label=\"Partagé\" class=\"compact\">oui</td>", html);
        Assert.EndsWith("</time></td></tr>", html);
        Assert.DoesNotContain("<b>", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void A_member_who_may_not_open_records_gets_the_title_as_text()
    {
        var html = Rows("""{ "name": "<b>x</b>" }""", "r1", canOpen: false);

        Assert.Contains("<th scope=\"row\" class=\"record-title\">&lt;b&gt;x&lt;/b&gt;</th><td data-label=\"&lt;i&gt;Notes&lt;/i&gt; &quot;&amp;&quot;\" class=\"blank\"></td>", html);
        Assert.DoesNotContain("<a ", html);
    }
}
