using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

public sealed class WellKnownDocumentTests
{
    [Fact]
    public void WebFinger_for_a_dataset()
    {
        var jrd = WebFingerDocuments.ForDataset("offers", Uris);
        Assert.Equal("""
            {"subject":"acct:offers@127.0.0.1:5081","aliases":["http://127.0.0.1:5081/datasets/offers"],"links":[{"rel":"self","type":"application/activity+json","href":"http://127.0.0.1:5081/datasets/offers"},{"rel":"http://webfinger.net/rel/profile-page","type":"text/html","href":"http://127.0.0.1:5081/datasets/offers"}]}
            """, ActivityStreamsContext.SerializeToString(jrd));
    }

    [Fact]
    public void WebFinger_for_the_node_and_default_ports()
    {
        var jrd = WebFingerDocuments.ForNode(new ActivityUris("https://commons.example.org:443/"));
        Assert.Equal("acct:_node@commons.example.org", (string?)jrd["subject"]);
        Assert.Equal("https://commons.example.org/actor", (string?)jrd["links"]![0]!["href"]);
    }

    [Theory]
    [InlineData("acct:offers@127.0.0.1:5081", "offers")]
    [InlineData("ACCT:offers@127.0.0.1:5081", "offers")]
    [InlineData("offers@127.0.0.1:5081", "offers")]
    [InlineData("@offers@127.0.0.1:5081", "offers")]
    [InlineData("acct:_node@127.0.0.1:5081", "_node")]
    [InlineData("http://127.0.0.1:5081/datasets/offers", "offers")]
    [InlineData("http://127.0.0.1:5081/actor", "_node")]
    public void Resources_that_name_our_actors(string resource, string expected)
    {
        Assert.True(WebFingerDocuments.TryParseResource(resource, Uris, out var user));
        Assert.Equal(expected, user);
    }

    [Theory]
    [InlineData("acct:offers@127.0.0.1")]               // port missing
    [InlineData("acct:offers@127.0.0.1:5082")]
    [InlineData("acct:offers@other.example")]
    [InlineData("acct:@127.0.0.1:5081")]
    [InlineData("acct:offers@")]
    [InlineData("acct:a@b@127.0.0.1:5081")]
    [InlineData("http://127.0.0.1:5081/datasets/offers/records/x")]
    [InlineData("http://127.0.0.1:5081/datasets/offers#main-key")]
    [InlineData("https://other.example/datasets/offers")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_resources_are_refused(string? resource) =>
        Assert.False(WebFingerDocuments.TryParseResource(resource, Uris, out _));

    [Fact]
    public void NodeInfo_discovery_and_document()
    {
        Assert.Equal("""{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"http://127.0.0.1:5081/nodeinfo/2.1"}]}""",
            NodeInfoDocuments.Discovery(Uris).ToJsonString());
        Assert.Equal("""
            {"version":"2.1","software":{"name":"commons-node","version":"0.3.0"},"protocols":["activitypub"],"services":{"inbound":[],"outbound":[]},"openRegistrations":false,"usage":{"users":{"total":7}},"metadata":{"nodeName":"Collectif"}}
            """, NodeInfoDocuments.NodeInfo("0.3.0", 7, "Collectif").ToJsonString());
    }

    [Fact]
    public void HostMeta_points_at_webfinger()
    {
        var xml = WebFingerDocuments.HostMeta(Uris);
        Assert.Equal("""<?xml version="1.0" encoding="utf-8"?><XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0"><Link rel="lrdd" type="application/jrd+json" template="http://127.0.0.1:5081/.well-known/webfinger?resource={uri}" /></XRD>""", xml);
        var parsed = System.Xml.Linq.XDocument.Parse(xml);
        Assert.Equal("lrdd", parsed.Root!.Elements().Single().Attribute("rel")!.Value);
    }
}
