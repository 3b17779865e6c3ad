using System.Globalization;
using System.Text.Encodings.Web;
using Commons.Core.Records;
using Commons.Node.Web.Components;

namespace Commons.Node.Web.Display;

/// <summary>
/// The body rows of the records table (<see cref="RecordsTable"/>) as one piece of markup. Razor renders a row as some
/// forty frames that it builds, compares and writes one by one; for a page of 25 rows that cost more than reading the
/// records. The markup is the component's own, written with the encoder the renderer writes with (the node's
/// <see cref="HtmlEncoder"/>, every Unicode range allowed): every value goes through it, as text or attribute alike.
/// </summary>
public sealed class RecordRows(HtmlEncoder encoder, TextWriter output)
{
    /// <summary>The words a row repeats, looked up once per table: each lookup walks the resource manager's culture chain.</summary>
    public sealed record Words(string Yes, string No, string Shared, string Updated);

    /// <summary>One row per record; <paramref name="nameOf"/> gives the title cell's text, a link when <paramref name="canOpen"/>.</summary>
    public void Write(IReadOnlyList<Record> items, IReadOnlyList<RecordsTable.Column> columns, Words words, Func<Record, string> nameOf,
        bool canOpen, string slug)
    {
        var culture = CultureInfo.CurrentCulture;
        var escapedSlug = Uri.EscapeDataString(slug);
        foreach (var record in items)
        {
            var name = nameOf(record);
            Open("tr");
            Attribute("data-record", record.Id);
            output.Write('>');
            Open("th");
            Attribute("scope", "row");
            Attribute("class", RecordsTable.HasLongWord(name) ? "record-title long-word" : "record-title");
            output.Write('>');
            if (canOpen)
            {
                Open("a");
                Attribute("href", $"/datasets/{escapedSlug}/records/{Uri.EscapeDataString(record.Id)}");
                output.Write('>');
                Text(name);
                output.Write("</a>");
            }
            else Text(name);
            output.Write("</th>");
            foreach (var column in columns)
            {
                var value = RecordValues.Of(record.Data, column.Name, culture, words.Yes, words.No);
                Open("td");
                Attribute("data-label", column.Label);
                if (value.Length == 0) Attribute("class", "blank");
                else if (RecordsTable.HasLongWord(value)) Attribute("class", "long-word");
                output.Write('>');
                Text(value);
                output.Write("</td>");
            }
            Cell(words.Shared, record.Shared ? words.Yes : words.No);
            Open("td");
            Attribute("data-label", words.Updated);
            Attribute("class", "compact");
            output.Write("><time");
            Attribute("datetime", Dates.Iso(record.UpdatedAt));
            output.Write('>');
            Text(Dates.Shown(record.UpdatedAt, "d"));
            output.Write("</time></td></tr>");
        }
    }

    private void Cell(string label, string text)
    {
        Open("td");
        Attribute("data-label", label);
        Attribute("class", "compact");
        output.Write('>');
        Text(text);
        output.Write("</td>");
    }

    /// <summary>The start of a tag, its attributes to follow.</summary>
    private void Open(string element)
    {
        output.Write('<');
        output.Write(element);
    }

    private void Attribute(string name, string value)
    {
        output.Write(' ');
        output.Write(name);
        output.Write("=\"");
        encoder.Encode(output, value);
        output.Write('"');
    }

    private void Text(string text) => encoder.Encode(output, text);
}
