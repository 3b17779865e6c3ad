using System.Text;
using Commons.Core.Errors;

namespace Commons.Node.Cli;

/// <summary>
/// A CSV file read strictly (RFC 4180): a header row, then rows of exactly as many fields; fields quoted with <c>"</c> and
/// <c>""</c> inside; comma-separated, or semicolon-separated when the header has semicolons and no comma (as spreadsheets
/// write it in Belgium). Anything else is refused with <c>csv_invalid</c> (or <c>invalid_unicode</c>), naming the line.
/// </summary>
public sealed class CsvTable
{
    public IReadOnlyList<string> Header { get; }
    /// <summary>The data rows, each with the file line it starts on (1-based; the header is line 1).</summary>
    public IReadOnlyList<(int Line, string[] Fields)> Rows { get; }

    private CsvTable(IReadOnlyList<string> header, IReadOnlyList<(int, string[])> rows) => (Header, Rows) = (header, rows);

    public static CsvTable Read(byte[] bytes)
    {
        string text;
        try { text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes); }
        catch (DecoderFallbackException e)
        {
            var line = 1 + bytes.Take(Math.Max(0, e.Index)).Count(b => b == (byte)'\n');
            throw new CsvException($"the file is not UTF-8 (near line {line}); save it as CSV UTF-8", ProblemCodes.InvalidUnicode);
        }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var firstLine = text.Split('\n', 2)[0];
        var separator = firstLine.Contains(';') && !firstLine.Contains(',') ? ';' : ',';
        var records = Parse(text, separator);
        if (records.Count == 0) throw new CsvException("the file is empty: it needs a header row naming the fields");
        var header = records[0].Fields;
        for (var i = 0; i < header.Length; i++)
        {
            header[i] = header[i].Trim();
            if (header[i].Length == 0) throw new CsvException($"line 1, column {i + 1}: a column without a name");
            if (Array.IndexOf(header, header[i]) < i) throw new CsvException($"line 1, column {i + 1}: the column '{header[i]}' appears twice");
        }
        foreach (var (line, fields) in records.Skip(1))
            if (fields.Length != header.Length)
                throw new CsvException($"line {line}: {fields.Length} fields where the header has {header.Length} columns");
        return new CsvTable(header, records.Skip(1).ToList());
    }

    private static List<(int Line, string[] Fields)> Parse(string text, char separator)
    {
        var rows = new List<(int, string[])>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var rowLine = 1;
        var i = 0;
        var fieldStarted = false;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"' && field.Length == 0 && !fieldStarted)
            {
                var opened = line;
                i++;
                while (true)
                {
                    if (i >= text.Length) throw new CsvException($"line {opened}: a quote opened here is never closed");
                    if (text[i] == '"')
                    {
                        if (i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    if (text[i] == '\n') line++;
                    field.Append(text[i++]);
                }
                fieldStarted = true;
                if (i < text.Length && text[i] != separator && text[i] != '\r' && text[i] != '\n')
                    throw new CsvException($"line {line}: text after a closing quote (a quote inside a field is written \"\")");
                continue;
            }
            if (c == '"') throw new CsvException($"line {line}: a quote in the middle of an unquoted field (quote the whole field, with \"\" inside)");
            if (c == separator) { fields.Add(field.ToString()); field.Clear(); fieldStarted = false; i++; continue; }
            if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                i++;
                fields.Add(field.ToString());
                field.Clear();
                fieldStarted = false;
                // Blank lines (a trailing newline, an empty last line) are no rows.
                if (!(fields.Count == 1 && fields[0].Length == 0)) rows.Add((rowLine, fields.ToArray()));
                fields.Clear();
                line++;
                rowLine = line;
                continue;
            }
            field.Append(c);
            i++;
        }
        if (field.Length > 0 || fieldStarted || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add((rowLine, fields.ToArray()));
        }
        return rows;
    }
}

/// <summary>A file the import cannot read; nothing was imported.</summary>
public sealed class CsvException(string detail, string code = ProblemCodes.CsvInvalid) : CommonsException(code, "Unreadable file", detail);
