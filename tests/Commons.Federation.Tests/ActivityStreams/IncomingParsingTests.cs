using System.Text.Json;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

/// <summary>
/// Shapes as Mastodon and GoToSocial send them, written from their public documentation
/// (docs.joinmastodon.org/spec/activitypub, docs.gotosocial.org "ActivityPub / federating with GoToSocial")
/// and the documents they serve: single values vs arrays, as:Public spellings, missing optional fields.
/// </summary>
public sealed class IncomingParsingTests
{
    private const string MastodonActor = """
        {"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1",
          {"manuallyApprovesFollowers":"as:manuallyApprovesFollowers","toot":"http://joinmastodon.org/ns#",
           "featured":{"@id":"toot:featured","@type":"@id"},"alsoKnownAs":{"@id":"as:alsoKnownAs","@type":"@id"},
           "schema":"http://schema.org#","PropertyValue":"schema:PropertyValue","value":"schema:value",
           "discoverable":"toot:discoverable","indexable":"toot:indexable","focalPoint":{"@container":"@list","@id":"toot:focalPoint"}}],
         "id":"https://mastodon.example/users/alice","type":"Person",
         "following":"https://mastodon.example/users/alice/following","followers":"https://mastodon.example/users/alice/followers",
         "inbox":"https://mastodon.example/users/alice/inbox","outbox":"https://mastodon.example/users/alice/outbox",
         "featured":"https://mastodon.example/users/alice/collections/featured",
         "preferredUsername":"alice","name":"Alice","summary":"<p>Hi</p>","url":"https://mastodon.example/@alice",
         "manuallyApprovesFollowers":false,"discoverable":true,"indexable":false,"published":"2022-11-05T00:00:00Z",
         "publicKey":{"id":"https://mastodon.example/users/alice#main-key","owner":"https://mastodon.example/users/alice",
                      "publicKeyPem":"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n"},
         "tag":[],"attachment":[{"type":"PropertyValue","name":"Site","value":"<a href=\"https://alice.example\">alice.example</a>"}],
         "endpoints":{"sharedInbox":"https://mastodon.example/inbox"},
         "icon":{"type":"Image","mediaType":"image/png","url":"https://mastodon.example/avatars/alice.png"}}
        """;

    // GoToSocial: key id is a path (/main-key), no endpoints/sharedInbox, manuallyApprovesFollowers true.
    private const string GoToSocialActor = """
        {"@context":["https://w3id.org/security/v1","https://www.w3.org/ns/activitystreams",
          {"discoverable":"http://joinmastodon.org/ns#discoverable","featured":{"@id":"http://joinmastodon.org/ns#featured","@type":"@id"},
           "manuallyApprovesFollowers":"http://www.w3.org/ns/activitystreams#manuallyApprovesFollowers"}],
         "discoverable":false,"featured":"https://gts.example/users/bob/collections/featured",
         "followers":"https://gts.example/users/bob/followers","following":"https://gts.example/users/bob/following",
         "id":"https://gts.example/users/bob","inbox":"https://gts.example/users/bob/inbox","manuallyApprovesFollowers":true,
         "name":"Bob","outbox":"https://gts.example/users/bob/outbox","preferredUsername":"bob",
         "publicKey":{"id":"https://gts.example/users/bob/main-key","owner":"https://gts.example/users/bob",
                      "publicKeyPem":"-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----\n"},
         "summary":"<p>bob</p>","type":"Person","url":"https://gts.example/@bob"}
        """;

    // An actor publishing several RSA keys and FEP-521a Multikeys (as Mitra and FEP-521a examples do).
    private const string MultiKeyActor = """
        {"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1","https://w3id.org/security/data-integrity/v1"],
         "id":"https://mitra.example/users/carol","type":["Service","https://example.org/ns#Bot"],
         "inbox":{"id":"https://mitra.example/users/carol/inbox"},
         "publicKey":[{"id":"https://mitra.example/users/carol#main-key","owner":"https://mitra.example/users/carol","publicKeyPem":"PEM-1"},
                      {"id":"https://mitra.example/users/carol#old-key","owner":"https://mitra.example/users/carol","publicKeyPem":"PEM-0"},
                      "https://mitra.example/users/carol#unresolved"],
         "assertionMethod":[{"id":"https://mitra.example/users/carol#main-key","type":"Multikey","controller":"https://mitra.example/users/carol","publicKeyMultibase":"z4MXj1wBzi9jUstyPMS4jQqB6KdJaiatPkAtVtGc6bQEQEEsKTic4G7Rou3iBf9vPmT5dbkm9qsZsuVNjGB9SvCSwwKD1"},
                            {"id":"https://mitra.example/users/carol#ed25519-key","type":"Multikey","controller":"https://mitra.example/users/carol","publicKeyMultibase":"z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"},
                            {"id":"https://mitra.example/users/carol#other","type":"JsonWebKey2020"}],
         "manuallyApprovesFollowers":"true"}
        """;

    [Fact]
    public void Reads_a_mastodon_actor()
    {
        var a = RemoteActorDocument.Read(ParseJson(MastodonActor));
        Assert.Equal("https://mastodon.example/users/alice", a.Id);
        Assert.Equal("Person", a.Type);
        Assert.Equal("alice", a.PreferredUsername);
        Assert.Equal("Alice", a.Name);
        Assert.Equal("https://mastodon.example/users/alice/inbox", a.Inbox);
        Assert.Equal("https://mastodon.example/inbox", a.SharedInbox);
        Assert.Equal("https://mastodon.example/inbox", a.DeliveryInbox);
        Assert.Equal("https://mastodon.example/users/alice/followers", a.Followers);
        Assert.Equal("https://mastodon.example/@alice", a.Url);
        Assert.False(a.ManuallyApprovesFollowers);
        var key = Assert.Single(a.PublicKeys);
        Assert.Equal("https://mastodon.example/users/alice#main-key", key.Id);
        Assert.Equal("https://mastodon.example/users/alice", key.Owner);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", key.PublicKeyPem);
        Assert.Empty(a.AssertionMethods);
    }

    [Fact]
    public void Reads_a_gotosocial_actor_without_shared_inbox()
    {
        var a = RemoteActorDocument.Read(ParseJson(GoToSocialActor));
        Assert.Equal("https://gts.example/users/bob", a.Id);
        Assert.Null(a.SharedInbox);
        Assert.Equal("https://gts.example/users/bob/inbox", a.DeliveryInbox);
        Assert.True(a.ManuallyApprovesFollowers);
        Assert.Equal("https://gts.example/users/bob/main-key", a.FindPublicKey("https://gts.example/users/bob/main-key")!.Id);
        Assert.Equal("https://gts.example/users/bob", AsJson.WithoutFragment("https://gts.example/users/bob#main-key"));
    }

    [Fact]
    public void Reads_key_arrays_multikeys_type_arrays_and_object_links()
    {
        var a = RemoteActorDocument.Read(ParseJson(MultiKeyActor));
        Assert.Equal("Service", a.Type);
        Assert.Equal(["Service", "https://example.org/ns#Bot"], a.Types);
        Assert.Equal("https://mitra.example/users/carol/inbox", a.Inbox);
        Assert.Equal(["https://mitra.example/users/carol#main-key", "https://mitra.example/users/carol#old-key"], a.PublicKeys.Select(k => k.Id));
        Assert.Equal("PEM-0", a.FindPublicKey("https://mitra.example/users/carol#old-key")!.PublicKeyPem);
        Assert.Equal(2, a.AssertionMethods.Count);
        Assert.StartsWith("z6Mk", a.FindAssertionMethod("https://mitra.example/users/carol#ed25519-key")!.PublicKeyMultibase);
        Assert.True(a.ManuallyApprovesFollowers);
        Assert.Null(a.SharedInbox);
        Assert.Null(a.PreferredUsername);
    }

    [Theory]
    [InlineData("""{"type":"Person","inbox":"https://x/inbox"}""", "no absolute http(s) id")]
    [InlineData("""{"id":"/users/x","type":"Person","inbox":"https://x/inbox"}""", "no absolute http(s) id")]
    [InlineData("""{"id":"https://x/u","inbox":"https://x/inbox"}""", "no type")]
    [InlineData("""{"id":"https://x/u","type":"Note","inbox":"https://x/inbox"}""", "not an actor type")]
    [InlineData("""{"id":"https://x/u","type":"Person"}""", "no inbox")]
    [InlineData("""[]""", "JSON object")]
    public void Refuses_documents_that_are_not_actors(string json, string reason)
    {
        Assert.False(RemoteActorDocument.TryRead(ParseJson(json), out var actor, out var error));
        Assert.Null(actor);
        Assert.Contains(reason, error);
        Assert.Throws<FormatException>(() => RemoteActorDocument.Read(ParseJson(json)));
    }

    [Fact]
    public void Mastodon_follow_with_a_bare_uuid_id()
    {
        var a = IncomingActivity.Read(ParseJson("""
            {"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/5b2e0a3c-0f0a-4c4f-9a8b-7e1b2a3c4d5e",
             "type":"Follow","actor":"https://mastodon.example/users/alice","object":"http://127.0.0.1:5081/datasets/offers"}
            """));
        Assert.Equal("Follow", a.Type);
        Assert.Equal("https://mastodon.example/5b2e0a3c-0f0a-4c4f-9a8b-7e1b2a3c4d5e", a.Id);
        Assert.Equal("https://mastodon.example/users/alice", a.ActorId);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers", a.ObjectId);
        Assert.Null(a.Object);
        Assert.Empty(a.To);
        Assert.False(a.IsPublic);
        Assert.Equal("offers", Uris.DatasetSlugOfActor(a.ObjectId));
    }

    [Fact]
    public void Gotosocial_follow_and_accept_with_single_value_addressing()
    {
        var follow = IncomingActivity.Read(ParseJson("""
            {"@context":"https://www.w3.org/ns/activitystreams","actor":"https://gts.example/users/bob",
             "id":"https://gts.example/users/bob/follow/01HXZ3Q8","object":"http://127.0.0.1:5081/datasets/offers",
             "to":"http://127.0.0.1:5081/datasets/offers","type":"Follow"}
            """));
        Assert.Equal(["http://127.0.0.1:5081/datasets/offers"], follow.To);

        var accept = IncomingActivity.Read(ParseJson("""
            {"@context":"https://www.w3.org/ns/activitystreams","actor":"https://gts.example/users/bob",
             "id":"https://gts.example/users/bob/accepts/01HXZ4","object":{"actor":"http://127.0.0.1:5082/actor",
             "id":"http://127.0.0.1:5082/actor#follows/6f1c1e4e-8d4b-4f5e-9a66-0c7a8f1d2b3c","object":"https://gts.example/users/bob","type":"Follow"},
             "to":"http://127.0.0.1:5082/actor","type":"Accept"}
            """));
        Assert.Equal("Accept", accept.Type);
        Assert.Equal("http://127.0.0.1:5082/actor#follows/6f1c1e4e-8d4b-4f5e-9a66-0c7a8f1d2b3c", accept.ObjectId);
        Assert.True(accept.ObjectHasType("Follow"));
        var inner = accept.ObjectAsActivity()!;
        Assert.Equal("http://127.0.0.1:5082/actor", inner.ActorId);
        Assert.Equal("https://gts.example/users/bob", inner.ObjectId);
        Assert.Equal(["http://127.0.0.1:5082/actor"], accept.To);
    }

    [Fact]
    public void Mastodon_accept_and_reject_embed_the_follow()
    {
        foreach (var type in new[] { "Accept", "Reject" })
        {
            var a = IncomingActivity.Read(ParseJson($$$"""
                {"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/users/alice#{{{type.ToLowerInvariant()}}}s/follows/1234",
                 "type":"{{{type}}}","actor":"https://mastodon.example/users/alice",
                 "object":{"id":"http://127.0.0.1:5082/actor#follows/6f1c","type":"Follow","actor":"http://127.0.0.1:5082/actor","object":"https://mastodon.example/users/alice"}}
                """));
            Assert.Equal(type, a.Type);
            Assert.Equal("http://127.0.0.1:5082/actor#follows/6f1c", a.ObjectId);
            Assert.Equal("Follow", a.ObjectAsActivity()!.Type);
        }
    }

    [Fact]
    public void Accept_that_names_the_follow_by_uri_only()
    {
        var a = IncomingActivity.Read(ParseJson("""
            {"id":"https://other.example/a/1","type":"Accept","actor":{"id":"https://other.example/u","type":"Person"},
             "object":"http://127.0.0.1:5082/actor#follows/6f1c"}
            """));
        Assert.Equal("https://other.example/u", a.ActorId);
        Assert.Equal("http://127.0.0.1:5082/actor#follows/6f1c", a.ObjectId);
        Assert.Null(a.ObjectAsActivity());
    }

    [Fact]
    public void Mastodon_undo_follow()
    {
        var a = IncomingActivity.Read(ParseJson("""
            {"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/users/alice#follows/3189/undo","type":"Undo",
             "actor":"https://mastodon.example/users/alice",
             "object":{"id":"https://mastodon.example/5b2e0a3c","type":"Follow","actor":"https://mastodon.example/users/alice","object":"http://127.0.0.1:5081/datasets/offers"}}
            """));
        Assert.Equal("Undo", a.Type);
        Assert.Equal("https://mastodon.example/5b2e0a3c", a.ObjectId);
        Assert.True(a.ObjectHasType("Follow"));
        Assert.Equal("http://127.0.0.1:5081/datasets/offers", a.ObjectAsActivity()!.ObjectId);
    }

    [Fact]
    public void Mastodon_create_note_public()
    {
        var a = IncomingActivity.Read(ParseJson("""
            {"@context":["https://www.w3.org/ns/activitystreams",{"ostatus":"http://ostatus.org#","atomUri":"ostatus:atomUri","sensitive":"as:sensitive","toot":"http://joinmastodon.org/ns#"}],
             "id":"https://mastodon.example/users/alice/statuses/1122/activity","type":"Create","actor":"https://mastodon.example/users/alice",
             "published":"2025-01-10T08:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://mastodon.example/users/alice/followers"],
             "object":{"id":"https://mastodon.example/users/alice/statuses/1122","type":"Note","summary":null,"inReplyTo":null,
               "published":"2025-01-10T08:00:00Z","url":"https://mastodon.example/@alice/1122","attributedTo":"https://mastodon.example/users/alice",
               "to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://mastodon.example/users/alice/followers"],"sensitive":false,
               "content":"<p>Hello</p>","contentMap":{"en":"<p>Hello</p>"},"attachment":[],"tag":[],
               "replies":{"id":"https://mastodon.example/users/alice/statuses/1122/replies","type":"Collection","first":{"type":"CollectionPage","items":[]}}}}
            """));
        Assert.Equal("Create", a.Type);
        Assert.True(a.IsPublic);
        Assert.Equal(["https://mastodon.example/users/alice/followers"], a.Cc);
        Assert.Equal("https://mastodon.example/users/alice/statuses/1122", a.ObjectId);
        Assert.True(a.ObjectHasType("Note"));
        Assert.Equal(new DateTimeOffset(2025, 1, 10, 8, 0, 0, TimeSpan.Zero), a.Published);
        Assert.Equal("<p>Hello</p>", AsJson.String(a.Object!.Value, "content"));
        Assert.Null(AsJson.String(a.Object!.Value, "summary"));
    }

    [Theory]
    [InlineData("\"https://www.w3.org/ns/activitystreams#Public\"")]
    [InlineData("\"as:Public\"")]
    [InlineData("\"Public\"")]
    [InlineData("[\"https://gts.example/users/bob/followers\",\"as:Public\"]")]
    [InlineData("{\"id\":\"https://www.w3.org/ns/activitystreams#Public\",\"type\":\"Collection\"}")]
    public void Public_addressing_in_every_spelling(string to)
    {
        var a = IncomingActivity.Read(ParseJson($$$"""{"id":"https://gts.example/x","type":"Create","actor":"https://gts.example/users/bob","to":{{{to}}},"object":{"id":"https://gts.example/n","type":"Note"}}"""));
        Assert.True(a.IsPublic);
        var inCc = IncomingActivity.Read(ParseJson($$"""{"type":"Create","actor":"https://gts.example/users/bob","cc":{{to}},"object":"https://gts.example/n"}"""));
        Assert.True(inCc.IsPublic);
    }

    [Fact]
    public void Followers_only_is_not_public()
    {
        var a = IncomingActivity.Read(ParseJson("""{"type":"Create","actor":"https://gts.example/users/bob","to":"https://gts.example/users/bob/followers","object":"https://gts.example/n"}"""));
        Assert.False(a.IsPublic);
        Assert.False(AsJson.IsPublic("https://www.w3.org/ns/activitystreams#public"));
        Assert.False(AsJson.IsPublic("https://example.org/Public"));
    }

    [Fact]
    public void Mastodon_delete_with_tombstone_and_delete_of_an_actor()
    {
        var note = IncomingActivity.Read(ParseJson("""
            {"@context":["https://www.w3.org/ns/activitystreams",{"ostatus":"http://ostatus.org#","atomUri":"ostatus:atomUri"}],
             "id":"https://mastodon.example/users/alice/statuses/1122#delete","type":"Delete","actor":"https://mastodon.example/users/alice",
             "to":["https://www.w3.org/ns/activitystreams#Public"],
             "object":{"id":"https://mastodon.example/users/alice/statuses/1122","type":"Tombstone","atomUri":"https://mastodon.example/users/alice/statuses/1122"},
             "signature":{"type":"RsaSignature2017","creator":"https://mastodon.example/users/alice#main-key","created":"2025-01-10T09:00:00Z","signatureValue":"abc"}}
            """));
        Assert.Equal("Delete", note.Type);
        Assert.Equal("https://mastodon.example/users/alice/statuses/1122", note.ObjectId);
        Assert.True(note.ObjectHasType("Tombstone"));

        var actor = IncomingActivity.Read(ParseJson("""
            {"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/users/alice#delete","type":"Delete",
             "actor":"https://mastodon.example/users/alice","to":["https://www.w3.org/ns/activitystreams#Public"],"object":"https://mastodon.example/users/alice"}
            """));
        Assert.Equal(actor.ActorId, actor.ObjectId);
        Assert.Null(actor.Object);
    }

    [Fact]
    public void Gotosocial_delete_by_uri()
    {
        var a = IncomingActivity.Read(ParseJson("""
            {"@context":"https://www.w3.org/ns/activitystreams","actor":"https://gts.example/users/bob","cc":"https://gts.example/users/bob/followers",
             "id":"https://gts.example/users/bob/statuses/01HY/delete","object":"https://gts.example/users/bob/statuses/01HY",
             "to":"https://www.w3.org/ns/activitystreams#Public","type":"Delete"}
            """));
        Assert.Equal("https://gts.example/users/bob/statuses/01HY", a.ObjectId);
        Assert.True(a.IsPublic);
        Assert.Equal(["https://gts.example/users/bob/followers"], a.Cc);
    }

    [Fact]
    public void Types_in_arrays_and_prefixed_forms()
    {
        var a = IncomingActivity.Read(ParseJson("""{"type":["https://example.org/ns#Custom","as:Follow"],"actor":"https://x.example/u","object":"https://y.example/d"}"""));
        Assert.Equal("Follow", a.Type);
        Assert.Equal(["https://example.org/ns#Custom", "Follow"], a.Types);
        var full = IncomingActivity.Read(ParseJson("""{"type":"https://www.w3.org/ns/activitystreams#Undo","actor":"https://x.example/u","object":["https://y.example/f"]}"""));
        Assert.Equal("Undo", full.Type);
        Assert.Equal("https://y.example/f", full.ObjectId);
        var unknown = IncomingActivity.Read(ParseJson("""{"type":"EmojiReact","actor":"https://x.example/u","object":"https://y.example/n"}"""));
        Assert.Equal("EmojiReact", unknown.Type);
        Assert.DoesNotContain(unknown.Type, IncomingActivity.KnownTypes);
    }

    [Theory]
    [InlineData("""{"actor":"https://x/u","object":"https://y/o"}""", "no type")]
    [InlineData("""{"type":"Follow","object":"https://y/o"}""", "no actor")]
    [InlineData("""{"type":"Follow","actor":{"type":"Person"},"object":"https://y/o"}""", "no actor")]
    [InlineData("""{"type":"Follow","actor":"","object":"https://y/o"}""", "no actor")]
    [InlineData("\"Follow\"", "JSON object")]
    public void Refuses_activities_without_type_or_actor(string json, string reason)
    {
        Assert.False(IncomingActivity.TryRead(ParseJson(json), out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Readers_tolerate_odd_values()
    {
        var o = ParseJson("""
            {"a":null,"b":[null,"x",{"id":"y"}],"c":{"@id":"z"},"d":{"type":"Link","href":"https://l.example"},"e":[],
             "f":{"@value":"v"},"g":"42","h":7,"i":"not-a-date","j":["2025-02-01T00:00:00+01:00"]}
            """);
        Assert.Empty(AsJson.Values(o, "a"));
        Assert.Empty(AsJson.Values(o, "missing"));
        Assert.Equal(["x", "y"], AsJson.Ids(o, "b"));
        Assert.Equal("x", AsJson.Id(o, "b"));
        Assert.Equal("z", AsJson.Id(o, "c"));
        Assert.Equal("https://l.example", AsJson.Id(o, "d"));
        Assert.Null(AsJson.Id(o, "e"));
        Assert.Equal("v", AsJson.String(o, "f"));
        Assert.Equal(42, AsJson.Integer(o, "g"));
        Assert.Equal(7, AsJson.Integer(o, "h"));
        Assert.Null(AsJson.DateTime(o, "i"));
        Assert.Equal(new DateTimeOffset(2025, 1, 31, 23, 0, 0, TimeSpan.Zero), AsJson.DateTime(o, "j"));
        Assert.Null(AsJson.Id(ParseJson("5")));
        Assert.Empty(AsJson.Types(ParseJson("\"Note\"")));
        Assert.True(AsJson.SameOrigin("https://a.example/x", "https://A.example:443/y#k"));
        Assert.False(AsJson.SameOrigin("https://a.example/x", "http://a.example/x"));
    }

    [Fact]
    public void Our_own_activities_read_back()
    {
        var d = Offers();
        var create = DatasetActivities.Create(d, Change(3, Commons.Core.Changes.ChangeKind.Create, "r1"), Record("r1", """{"name":"x"}"""), Uris);
        var a = IncomingActivity.Read(ToElement(create));
        Assert.Equal(("Create", "http://127.0.0.1:5081/datasets/offers", "http://127.0.0.1:5081/datasets/offers/records/r1", true),
            (a.Type, a.ActorId, a.ObjectId, a.IsPublic));
        Assert.Equal(3, AsJson.Integer(a.Object!.Value, "commons:revision"));
        Assert.Equal(JsonValueKind.Object, AsJson.Get(a.Object!.Value, "commons:data").ValueKind);
    }
}
