using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

public sealed class ActivityUrisTests
{
    [Fact]
    public void Builds_every_url_from_the_base()
    {
        var u = Uris;
        Assert.Equal("http://127.0.0.1:5081", u.Base);
        Assert.Equal("127.0.0.1:5081", u.Host);
        Assert.Equal("http://127.0.0.1:5081/actor", u.NodeActor);
        Assert.Equal("http://127.0.0.1:5081/actor#main-key", u.NodeMainKey);
        Assert.Equal("http://127.0.0.1:5081/inbox", u.SharedInbox);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers", u.DatasetActor("offers"));
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/inbox", u.DatasetInbox("offers"));
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/outbox", u.DatasetOutbox("offers"));
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/followers", u.DatasetFollowers("offers"));
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/following", u.DatasetFollowing("offers"));
        Assert.Equal("http://127.0.0.1:5081/datasets/offers#main-key", u.DatasetMainKey("offers"));
        Assert.Equal("http://127.0.0.1:5081/datasets/offers#ed25519-key", u.DatasetEd25519Key("offers"));
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/records/r_1-x", u.Record("offers", "r_1-x"));
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/changes/42", u.Change("offers", 42));
        Assert.Equal("acct:offers@127.0.0.1:5081", u.Acct("offers"));
        Assert.Equal("http://127.0.0.1:5081/.well-known/webfinger?resource={uri}", u.WebFingerTemplate);
        Assert.Equal("http://127.0.0.1:5081/nodeinfo/2.1", u.NodeInfo21);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/outbox?page=a%20b", ActivityUris.Page(u.DatasetOutbox("offers"), "a b"));
        Assert.Equal("https://x.example/actor#follows/00000000-0000-0000-0000-000000000001",
            ActivityUris.FollowId("https://x.example/actor", new Guid("00000000-0000-0000-0000-000000000001")));
    }

    [Theory]
    [InlineData("https://Commons.Example.org/", "https://commons.example.org", "commons.example.org")]
    [InlineData("https://commons.example.org:443", "https://commons.example.org", "commons.example.org")]
    [InlineData("http://commons.example.org:80/", "http://commons.example.org", "commons.example.org")]
    [InlineData("https://commons.example.org:8443", "https://commons.example.org:8443", "commons.example.org:8443")]
    [InlineData("https://example.org/commons/", "https://example.org/commons", "example.org")]
    [InlineData("http://[::1]:5081", "http://[::1]:5081", "[::1]:5081")]
    public void Normalises_the_base_and_its_host(string configured, string expectedBase, string expectedHost)
    {
        var u = new ActivityUris(configured);
        Assert.Equal(expectedBase, u.Base);
        Assert.Equal(expectedHost, u.Host);
        Assert.Equal(expectedBase + "/datasets/a", u.DatasetActor("a"));
    }

    [Theory]
    [InlineData("ftp://x.example")]
    [InlineData("https://x.example/?a=1")]
    [InlineData("https://x.example/#f")]
    public void Refuses_bases_that_cannot_name_actors(string configured) =>
        Assert.Throws<ArgumentException>(() => new ActivityUris(configured));

    [Theory]
    [InlineData("http://127.0.0.1:5081/actor", OurUriKind.NodeActor, null, null, null, null)]
    [InlineData("http://127.0.0.1:5081/actor#main-key", OurUriKind.NodeActor, null, null, null, "main-key")]
    [InlineData("http://127.0.0.1:5081/actor/inbox", OurUriKind.NodeInbox, null, null, null, null)]
    [InlineData("http://127.0.0.1:5081/inbox", OurUriKind.SharedInbox, null, null, null, null)]
    [InlineData("http://127.0.0.1:5081/datasets/offers", OurUriKind.DatasetActor, "offers", null, null, null)]
    [InlineData("http://127.0.0.1:5081/datasets/offers/", OurUriKind.DatasetActor, "offers", null, null, null)]
    [InlineData("HTTP://127.0.0.1:5081/datasets/offers#ed25519-key", OurUriKind.DatasetActor, "offers", null, null, "ed25519-key")]
    [InlineData("http://127.0.0.1:5081/datasets/offers/inbox", OurUriKind.DatasetInbox, "offers", null, null, null)]
    [InlineData("http://127.0.0.1:5081/datasets/offers/outbox?page=3", OurUriKind.DatasetOutbox, "offers", null, null, null)]
    [InlineData("http://127.0.0.1:5081/datasets/offers/followers", OurUriKind.DatasetFollowers, "offers", null, null, null)]
    [InlineData("http://127.0.0.1:5081/datasets/offers/following", OurUriKind.DatasetFollowing, "offers", null, null, null)]
    [InlineData("http://127.0.0.1:5081/datasets/offers/records/01hx-a_b", OurUriKind.Record, "offers", "01hx-a_b", null, null)]
    [InlineData("http://127.0.0.1:5081/datasets/offers/changes/17", OurUriKind.Change, "offers", null, 17L, null)]
    [InlineData("http://127.0.0.1:5081/actor#follows/7d0c", OurUriKind.NodeActor, null, null, null, "follows/7d0c")]
    public void Parses_our_uris_back(string uri, OurUriKind kind, string? slug, string? recordId, long? seq, string? fragment)
    {
        Assert.True(Uris.TryParse(uri, out var p));
        Assert.Equal(new OurUri(kind, slug, recordId, seq, fragment), p);
        Assert.True(Uris.IsOurs(uri));
    }

    [Theory]
    [InlineData("https://127.0.0.1:5081/actor")]        // other scheme
    [InlineData("http://127.0.0.1:5082/actor")]         // other port
    [InlineData("http://127.0.0.1/actor")]              // default port is another port
    [InlineData("http://localhost:5081/actor")]         // other host name
    [InlineData("http://user@127.0.0.1:5081/actor")]    // user info
    [InlineData("/datasets/offers")]                    // relative
    [InlineData("not a uri")]
    [InlineData("")]
    [InlineData(null)]
    public void Foreign_uris_are_not_ours(string? uri)
    {
        Assert.False(Uris.IsOurs(uri));
        Assert.False(Uris.TryParse(uri, out _));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5081/")]
    [InlineData("http://127.0.0.1:5081/datasets")]
    [InlineData("http://127.0.0.1:5081/datasets/offers/records")]
    [InlineData("http://127.0.0.1:5081/datasets/offers/changes/x")]
    [InlineData("http://127.0.0.1:5081/datasets/offers/changes/-1")]
    [InlineData("http://127.0.0.1:5081/datasets//inbox")]
    [InlineData("http://127.0.0.1:5081/datasets/offers/records/a/b")]
    public void Our_uris_that_name_nothing_parse_to_false(string uri)
    {
        Assert.True(Uris.IsOurs(uri));
        Assert.False(Uris.TryParse(uri, out _));
    }

    [Fact]
    public void A_base_with_a_path_prefix_owns_only_that_prefix()
    {
        var u = new ActivityUris("https://example.org/commons");
        Assert.True(u.TryParse("https://example.org/commons/datasets/a/records/b", out var p));
        Assert.Equal(new OurUri(OurUriKind.Record, "a", "b"), p);
        Assert.False(u.IsOurs("https://example.org/other/datasets/a"));
        Assert.False(u.IsOurs("https://example.org/commonsx/datasets/a"));
        Assert.Equal("example.org", u.Host);
    }

    [Fact]
    public void Slug_of_an_actor_or_its_key_id()
    {
        Assert.Equal("offers", Uris.DatasetSlugOfActor("http://127.0.0.1:5081/datasets/offers#main-key"));
        Assert.Null(Uris.DatasetSlugOfActor("http://127.0.0.1:5081/datasets/offers/records/x"));
        Assert.Null(Uris.DatasetSlugOfActor("https://elsewhere.example/datasets/offers"));
    }
}
