using System.Globalization;
using System.Xml;
using Commons.Modules.Employers.Allocation;
using Commons.Modules.Employers.Kinds;
using Commons.Platform.Statements;

namespace Commons.Modules.Employers.Statements;

/// <summary>
/// A closed month as XML, in the group's own namespace: one member's statement (its part of each worker's cost) or
/// the group's summary (every worker's split). Amounts and hours are decimal text with two decimals, invariant culture.
/// </summary>
public static class StatementXml
{
    public const string Namespace = "urn:commons-node:employers:statement:1";

    /// <summary>The employers' statements for the shared verifier: "member statement of 2026-01 for {group}".</summary>
    public static readonly StatementForm Form = new(Namespace, "the employers' group",
        root => $"{root.GetAttribute("kind")} statement of {root.GetAttribute("month")} for {root.GetAttribute("group")}");

    public static XmlDocument Member(ClosedMonth month, string member)
    {
        var (doc, root) = Start(month, "member");
        var who = Add(doc, root, "member");
        who.SetAttribute("actor", member);
        who.SetAttribute("name", month.MemberNames.GetValueOrDefault(member, member));
        foreach (var w in month.Workers)
            foreach (var s in w.Shares.Where(s => s.Member == member))
            {
                var line = Add(doc, root, "worker");
                line.SetAttribute("id", w.Worker);
                line.SetAttribute("name", w.Name);
                line.SetAttribute("basis", w.Basis);
                line.SetAttribute("cost", Amounts.Format(w.Cost));
                if (s.Hours is { } h) line.SetAttribute("hours", Amounts.Format(h));
                line.SetAttribute("plannedShare", Amounts.Format(s.PlannedShare));
                line.SetAttribute("amount", Amounts.Format(s.Amount));
            }
        Add(doc, root, "total").InnerText = Amounts.Format(month.TotalOf(member));
        return doc;
    }

    public static XmlDocument Summary(ClosedMonth month)
    {
        var (doc, root) = Start(month, "summary");
        foreach (var w in month.Workers)
        {
            var worker = Add(doc, root, "worker");
            worker.SetAttribute("id", w.Worker);
            worker.SetAttribute("name", w.Name);
            worker.SetAttribute("basis", w.Basis);
            worker.SetAttribute("cost", Amounts.Format(w.Cost));
            foreach (var s in w.Shares)
            {
                var share = Add(doc, worker, "share");
                share.SetAttribute("member", s.Member);
                share.SetAttribute("name", month.MemberNames.GetValueOrDefault(s.Member, s.Member));
                if (s.Hours is { } h) share.SetAttribute("hours", Amounts.Format(h));
                share.SetAttribute("amount", Amounts.Format(s.Amount));
            }
        }
        Add(doc, root, "total").InnerText = Amounts.Format(month.Workers.Sum(w => w.Shares.Sum(s => s.Amount)));
        return doc;
    }

    /// <summary>The statement's total (its <c>total</c> element), or null when it has none that reads as an amount.</summary>
    public static decimal? TotalOf(string xml)
    {
        var doc = new XmlDocument { XmlResolver = null };
        using (var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null }))
            doc.Load(reader);
        var names = new XmlNamespaceManager(doc.NameTable);
        names.AddNamespace("s", Namespace);
        return doc.SelectSingleNode("/s:statement/s:total", names)?.InnerText is { } text
            && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var total) ? total : null;
    }

    private static (XmlDocument, XmlElement) Start(ClosedMonth month, string kind)
    {
        var doc = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
        doc.AppendChild(doc.CreateXmlDeclaration("1.0", "UTF-8", null));
        var root = doc.CreateElement("statement", Namespace);
        root.SetAttribute("kind", kind);
        root.SetAttribute("month", month.Month);
        root.SetAttribute("group", month.Group);
        if (month.Recognition is { Length: > 0 } r) root.SetAttribute("recognition", r);
        root.SetAttribute("closedAt", month.ClosedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        doc.AppendChild(root);
        return (doc, root);
    }

    private static XmlElement Add(XmlDocument doc, XmlElement parent, string name) => (XmlElement)parent.AppendChild(doc.CreateElement(name, Namespace))!;
}
