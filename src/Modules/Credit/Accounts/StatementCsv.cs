using System.Globalization;
using System.Text;

namespace Commons.Modules.Credit.Accounts;

/// <summary>
/// A ledger's month statement as CSV (RFC 4180): a header, the opening balance, one line per completed transaction
/// with the balance after it, CRLF line ends, fields with a comma, quote or line break quoted and their quotes
/// doubled. Amounts with a point and the unit's decimals; times on the Brussels clock with their offset. A field a
/// spreadsheet would run as a formula (a memo starting with <c>=</c>) starts with an apostrophe (OWASP CSV injection).
/// </summary>
public static class StatementCsv
{
    public const string MediaType = "text/csv";

    private static readonly string[] Columns = ["month", "time", "transaction", "other_member", "memo", "amount", "unit", "balance"];

    public static string Write(Statement s)
    {
        var b = new StringBuilder();
        Line(b, Columns);
        Line(b, [s.Month.ToString(), "", "opening", "", "", "", s.Symbol, Amount(s.Opening, s.Precision)]);
        foreach (var l in s.Lines)
            Line(b, [s.Month.ToString(), Time(l.At), l.Transaction.Id, l.Other, l.Transaction.Memo ?? "", Amount(l.Amount, s.Precision), s.Symbol, Amount(l.Balance, s.Precision)]);
        return b.ToString();
    }

    public static string FileName(string ledger, StatementMonth month) => $"credit-{ledger}-{month}.csv";

    private static string Amount(decimal d, int precision) => d.ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, CreditAccounts.Brussels).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static void Line(StringBuilder b, IReadOnlyList<string> fields)
    {
        b.AppendJoin(',', fields.Select(Field));
        b.Append("\r\n");
    }

    internal static string Field(string value) => Platform.Csv.CsvField.Write(value);
}
