using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Commons.Federation.ActivityStreams;

/// <summary>WebFinger (RFC 7033) JRDs for <c>acct:{slug}@{host}</c> and <c>acct:_node@{host}</c>, and the host-meta XRD.</summary>
public static class WebFingerDocuments
{
    public const string JrdContentType = "application/jrd+json";
    public const string XrdContentType = "application/xrd+xml";
    public const string ProfilePageRel = "http://webfinger.net/rel/profile-page";

    /// <summary>The JRD of a dataset actor. The caller answers 404 for a private or unknown dataset instead.</summary>
    public static JsonObject ForDataset(string slug, ActivityUris uris) =>
        Jrd(uris.Acct(slug), uris.DatasetActor(slug), uris.DatasetActor(slug));

    /// <summary>The JRD of the node actor (<c>acct:_node@host</c>).</summary>
    public static JsonObject ForNode(ActivityUris uris) =>
        Jrd(uris.Acct(ActivityUris.NodeUsername), uris.NodeActor, uris.Base + "/");

    private static JsonObject Jrd(string subject, string actor, string profile) => new()
    {
        ["subject"] = subject,
        ["aliases"] = new JsonArray(actor),
        ["links"] = new JsonArray(
            new JsonObject { ["rel"] = "self", ["type"] = ActivityStreamsContext.ActivityJson, ["href"] = actor },
            new JsonObject { ["rel"] = ProfilePageRel, ["type"] = "text/html", ["href"] = profile }),
    };

    /// <summary>
    /// The user name a WebFinger <c>resource</c> asks for, when it names one of our actors: <c>acct:user@host</c>
    /// (host with its port when not the default, compared case-insensitively; a leading '@' and a missing
    /// <c>acct:</c> are tolerated) or the actor URL itself (<c>{base}/datasets/{slug}</c>, <c>{base}/actor</c>).
    /// Returns <c>_node</c> for the node. Whether the dataset exists and is not private is for the caller to check.
    /// </summary>
    public static bool TryParseResource(string? resource, ActivityUris uris, out string username)
    {
        username = "";
        if (string.IsNullOrWhiteSpace(resource)) return false;
        resource = resource.Trim();
        if (resource.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || resource.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!uris.TryParse(resource, out var p) || p.Fragment is not null) return false;
            switch (p.Kind)
            {
                case OurUriKind.NodeActor: username = ActivityUris.NodeUsername; return true;
                case OurUriKind.DatasetActor: username = p.Slug!; return true;
                default: return false;
            }
        }
        var acct = resource.StartsWith("acct:", StringComparison.OrdinalIgnoreCase) ? resource[5..] : resource;
        if (acct.StartsWith('@')) acct = acct[1..];
        var at = acct.LastIndexOf('@');
        if (at <= 0 || at == acct.Length - 1) return false;
        var user = Uri.UnescapeDataString(acct[..at]);
        var host = acct[(at + 1)..];
        if (!string.Equals(host, uris.Host, StringComparison.OrdinalIgnoreCase)) return false;
        if (user.Length == 0 || user.Contains('@') || user.Contains('/')) return false;
        username = user;
        return true;
    }

    /// <summary>host-meta (RFC 6415) with the lrdd template pointing at our WebFinger endpoint.</summary>
    public static string HostMeta(ActivityUris uris)
    {
        XNamespace xrd = "http://docs.oasis-open.org/ns/xri/xrd-1.0";
        var doc = new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(xrd + "XRD",
                new XElement(xrd + "Link",
                    new XAttribute("rel", "lrdd"),
                    new XAttribute("type", JrdContentType),
                    new XAttribute("template", uris.WebFingerTemplate))));
        using var writer = new Utf8StringWriter();
        doc.Save(writer, SaveOptions.DisableFormatting);
        return writer.ToString();
    }

    private sealed class Utf8StringWriter : StringWriter
    {
        public Utf8StringWriter() : base(System.Globalization.CultureInfo.InvariantCulture) { }
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }
}
