using System.Globalization;
using System.Xml;
using Commons.Modules.Credit.Accounts;
using Commons.Modules.Credit.Signatures;
using Commons.Platform.Statements;

namespace Commons.Modules.Credit.Statements;

/// <summary>What a month statement holds beyond the CSV's lines: the group, the unit's names, the ledger's actor, both proofs' status per line, the euro value.</summary>
public sealed record CreditStatementContent(Statement Statement, string Group, string LedgerActor, IReadOnlyDictionary<string, string> UnitNames,
    decimal? EuroValue, IReadOnlyDictionary<string, (string Payer, string Payee)> Proofs, DateTimeOffset IssuedAt);

/// <summary>
/// A ledger's month as XML in mutual credit's own namespace, in the form of the employers' group statements (root
/// <c>statement</c> with its kind and month, one element per line, signed whole by the node's key). Amounts are decimal
/// text with the unit's precision, invariant culture; times are on the Brussels clock with their offset, the month's
/// bounds included. The euro worth is informative: the group's value of one unit times the balances.
/// </summary>
public static class CreditStatementXml
{
    public const string Namespace = "urn:commons-node:credit:statement:1";
    public const string MediaType = "application/xml";

    /// <summary>The credit statements for the shared verifier: "mutual credit month statement of 2026-03 for {account} in ŧ".</summary>
    public static readonly StatementForm Form = new(Namespace, "mutual credit",
        root => $"mutual credit {root.GetAttribute("kind")} statement of {root.GetAttribute("month")} for {root.GetAttribute("account")} in {UnitOf(root)}");

    public static XmlDocument Month(CreditStatementContent c)
    {
        var s = c.Statement;
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        doc.AppendChild(doc.CreateXmlDeclaration("1.0", "UTF-8", null));
        var root = doc.CreateElement("statement", Namespace);
        root.SetAttribute("kind", "month");
        root.SetAttribute("month", s.Month.ToString());
        root.SetAttribute("group", c.Group);
        root.SetAttribute("ledger", c.LedgerActor);
        root.SetAttribute("account", s.Account);
        root.SetAttribute("issuedAt", c.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        doc.AppendChild(root);

        var unit = Add(doc, root, "unit");
        unit.SetAttribute("symbol", s.Symbol);
        unit.SetAttribute("precision", s.Precision.ToString(CultureInfo.InvariantCulture));
        foreach (var (language, name) in c.UnitNames.OrderBy(n => n.Key, StringComparer.Ordinal))
        {
            var named = Add(doc, unit, "name");
            var lang = doc.CreateAttribute("xml", "lang", "http://www.w3.org/XML/1998/namespace");
            lang.Value = language;
            named.Attributes.Append(lang);
            named.InnerText = name;
        }
        var (from, to) = s.Month.Range;
        var period = Add(doc, root, "period");
        period.SetAttribute("from", Time(from));
        period.SetAttribute("to", Time(to));
        period.SetAttribute("timeZone", "Europe/Brussels");

        Add(doc, root, "opening").InnerText = Amount(s.Opening, s.Precision);
        foreach (var l in s.Lines)
        {
            var line = Add(doc, root, "transaction");
            line.SetAttribute("id", l.Transaction.Id);
            line.SetAttribute("time", Time(l.At));
            line.SetAttribute("counterparty", l.Other);
            if (l.Transaction.Memo is { Length: > 0 } memo) line.SetAttribute("memo", memo);
            if (l.Transaction.Compensates is { Length: > 0 } compensated) line.SetAttribute("compensates", compensated);
            line.SetAttribute("amount", Amount(l.Amount, s.Precision));
            line.SetAttribute("balance", Amount(l.Balance, s.Precision));
            var (payer, payee) = c.Proofs.GetValueOrDefault(l.Transaction.Id, (SignatureStates.Missing, SignatureStates.Missing));
            line.SetAttribute("payerProof", payer);
            line.SetAttribute("payeeProof", payee);
        }
        Add(doc, root, "closing").InnerText = Amount(s.Closing, s.Precision);
        if (c.EuroValue is { } perUnit)
        {
            var euro = Add(doc, root, "euroWorth");
            euro.SetAttribute("informative", "true");
            euro.SetAttribute("perUnit", perUnit.ToString(CultureInfo.InvariantCulture));
            euro.SetAttribute("opening", Amount(s.Opening * perUnit, 2));
            euro.SetAttribute("closing", Amount(s.Closing * perUnit, 2));
        }
        return doc;
    }

    public static string FileName(string ledger, StatementMonth month) => $"credit-{ledger}-{month}.xml";

    /// <summary>Decimal text with exactly the unit's decimals, a point, invariant culture (amounts are already within the precision).</summary>
    public static string Amount(decimal amount, int precision) =>
        Math.Round(amount, precision, MidpointRounding.ToEven).ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, CreditAccounts.Brussels).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string UnitOf(XmlElement root) =>
        root.GetElementsByTagName("unit", Namespace) is { Count: > 0 } units ? ((XmlElement)units[0]!).GetAttribute("symbol") : "";

    private static XmlElement Add(XmlDocument doc, XmlElement parent, string name) => (XmlElement)parent.AppendChild(doc.CreateElement(name, Namespace))!;
}
