using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

public sealed class ActorDocumentTests
{
    [Fact]
    public void Public_dataset_actor_has_the_agreed_shape()
    {
        var actor = ActorDocuments.DatasetActor(Offers(SharingPolicy.Public), Uris, Keys);
        const string a = "http://127.0.0.1:5081/datasets/offers";
        Assert.Equal(ActivityStreamsContext.Create().ToJsonString(), actor["@context"]!.ToJsonString());
        Assert.Equal(a, (string?)actor["id"]);
        Assert.Equal("Service", (string?)actor["type"]);
        Assert.Equal("offers", (string?)actor["preferredUsername"]);
        Assert.Equal("Offers", (string?)actor["name"]);
        Assert.Equal("""{"fr":"Offres","nl":"Aanbod","en":"Offers"}""", actor["nameMap"]!.ToJsonString());
        Assert.Equal("<p>What we lend.</p>", (string?)actor["summary"]);
        Assert.Equal("<p>Ce que nous prêtons.</p>", (string?)actor["summaryMap"]!["fr"]);
        Assert.Equal(a + "/inbox", (string?)actor["inbox"]);
        Assert.Equal(a + "/outbox", (string?)actor["outbox"]);
        Assert.Equal(a + "/followers", (string?)actor["followers"]);
        Assert.Equal(a + "/following", (string?)actor["following"]);
        Assert.Equal("http://127.0.0.1:5081/inbox", (string?)actor["endpoints"]!["sharedInbox"]);
        Assert.Equal(a, (string?)actor["url"]);
        Assert.False((bool)actor["manuallyApprovesFollowers"]!);
        Assert.True((bool)actor["discoverable"]!);
        Assert.Equal("2025-03-01T09:30:00Z", (string?)actor["published"]);
        Assert.Equal(a + "#main-key", (string?)actor["publicKey"]!["id"]);
        Assert.Equal(a, (string?)actor["publicKey"]!["owner"]);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", (string?)actor["publicKey"]!["publicKeyPem"]);
        var method = Assert.Single(actor["assertionMethod"]!.AsArray())!;
        Assert.Equal($$"""{"id":"{{a}}#ed25519-key","type":"Multikey","controller":"{{a}}","publicKeyMultibase":"{{Ed25519Multibase}}"}""", method.ToJsonString());
        Assert.StartsWith("z6Mk", Ed25519Multibase);
        Assert.Equal("public", (string?)actor["commons:policy"]);
        Assert.Equal("CC-BY-4.0", (string?)actor["commons:license"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(OffersSchema), actor["commons:schema"]));
    }

    [Theory]
    [InlineData(SharingPolicy.Peers, "peers")]
    [InlineData(SharingPolicy.Approval, "approval")]
    public void Non_public_dataset_actors_approve_followers_by_hand_and_are_not_discoverable(SharingPolicy policy, string name)
    {
        var actor = ActorDocuments.DatasetActor(Offers(policy), Uris, Keys);
        Assert.True((bool)actor["manuallyApprovesFollowers"]!);
        Assert.False((bool)actor["discoverable"]!);
        Assert.Equal(name, (string?)actor["commons:policy"]);
    }

    [Fact]
    public void Private_datasets_have_no_actor() =>
        Assert.Throws<InvalidOperationException>(() => ActorDocuments.DatasetActor(Offers(SharingPolicy.Private), Uris, Keys));

    [Fact]
    public void Name_falls_back_to_french_then_dutch_and_omits_blank_languages()
    {
        var d = Offers() with { Title = new LocalizedText(" ", "Aanbod", null), Description = LocalizedText.Empty, License = null };
        var actor = ActorDocuments.DatasetActor(d, Uris, Keys);
        Assert.Equal("Aanbod", (string?)actor["name"]);
        Assert.Equal("""{"nl":"Aanbod"}""", actor["nameMap"]!.ToJsonString());
        Assert.False(actor.ContainsKey("summary"));
        Assert.False(actor.ContainsKey("summaryMap"));
        Assert.False(actor.ContainsKey("commons:license"));
        Assert.Equal("Offres", (string?)ActorDocuments.DatasetActor(Offers() with { Title = new("Offres", "Aanbod", "") }, Uris, Keys)["name"]);
    }

    [Fact]
    public void Hostile_titles_and_descriptions_are_escaped_in_html_fields()
    {
        var d = Offers() with
        {
            Title = new LocalizedText(null, null, "<b>Bold</b>"),
            Description = new LocalizedText(null, null, "<script>alert('x')</script>\nline two\n\nsecond & last"),
        };
        var actor = ActorDocuments.DatasetActor(d, Uris, Keys);
        Assert.Equal("<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;<br>line two</p><p>second &amp; last</p>", (string?)actor["summary"]);
        // name is plain text (ActivityStreams), so it stays as written; only HTML fields are encoded.
        Assert.Equal("<b>Bold</b>", (string?)actor["name"]);
        Assert.DoesNotContain("<script>", ActivityStreamsContext.SerializeToString(actor));
    }

    [Fact]
    public void Previous_ed25519_keys_follow_the_current_one()
    {
        var keys = Keys with { PreviousEd25519Keys = [new PublishedMultikey("ed25519-key-2024", "z6MkOld")] };
        var methods = ActorDocuments.DatasetActor(Offers(), Uris, keys)["assertionMethod"]!.AsArray();
        Assert.Equal(2, methods.Count);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers#ed25519-key", (string?)methods[0]!["id"]);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers#ed25519-key-2024", (string?)methods[1]!["id"]);
    }

    [Fact]
    public void Node_actor_has_the_agreed_shape()
    {
        var actor = ActorDocuments.NodeActor("Collectif Mutualisons", Uris, Keys, Created);
        Assert.Equal("http://127.0.0.1:5081/actor", (string?)actor["id"]);
        Assert.Equal("Organization", (string?)actor["type"]);
        Assert.Equal("_node", (string?)actor["preferredUsername"]);
        Assert.Equal("Collectif Mutualisons", (string?)actor["name"]);
        Assert.Equal("http://127.0.0.1:5081/actor/inbox", (string?)actor["inbox"]);
        Assert.Equal("http://127.0.0.1:5081/inbox", (string?)actor["endpoints"]!["sharedInbox"]);
        Assert.Equal("http://127.0.0.1:5081/actor#main-key", (string?)actor["publicKey"]!["id"]);
        Assert.Equal("http://127.0.0.1:5081/actor#ed25519-key", (string?)actor["assertionMethod"]![0]!["id"]);
        Assert.DoesNotContain("datasets", actor.ToJsonString());
    }

    [Fact]
    public void Our_actor_documents_read_back_through_the_remote_reader()
    {
        var doc = ToElement(ActorDocuments.DatasetActor(Offers(SharingPolicy.Approval), Uris, Keys));
        var remote = RemoteActorDocument.Read(doc);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers", remote.Id);
        Assert.Equal("Service", remote.Type);
        Assert.Equal("http://127.0.0.1:5081/inbox", remote.DeliveryInbox);
        Assert.True(remote.ManuallyApprovesFollowers);
        Assert.Equal(Keys.RsaPublicKeyPem, remote.FindPublicKey("http://127.0.0.1:5081/datasets/offers#main-key")!.PublicKeyPem);
        Assert.Equal(Ed25519Multibase, remote.FindAssertionMethod("http://127.0.0.1:5081/datasets/offers#ed25519-key")!.PublicKeyMultibase);
    }

    [Theory]
    [InlineData(SharingPolicy.Public)]
    [InlineData(SharingPolicy.Approval)]
    [InlineData(SharingPolicy.Peers)]
    public void Our_dataset_actors_are_recognised_as_datasets_and_our_node_actor_is_not(SharingPolicy policy)
    {
        Assert.Null(DatasetActorRecognition.WhyNot(ToElement(ActorDocuments.DatasetActor(Offers(policy), Uris, Keys))));
        var node = ToElement(ActorDocuments.NodeActor("Collectif Mutualisons", Uris, Keys, Created));
        Assert.StartsWith(DatasetActorRecognition.NotADatasetPrefix, DatasetActorRecognition.WhyNot(node), StringComparison.Ordinal);
    }
}
