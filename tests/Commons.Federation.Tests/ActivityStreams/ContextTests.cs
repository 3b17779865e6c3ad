using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

public sealed class ContextTests
{
    /// <summary>Terms the ActivityStreams 2.0 context (https://www.w3.org/ns/activitystreams) defines, as of its current version.</summary>
    private static readonly HashSet<string> ActivityStreamsTerms =
    [
        "id", "type",
        // classes
        "Object", "Link", "Activity", "IntransitiveActivity", "Collection", "OrderedCollection", "CollectionPage", "OrderedCollectionPage",
        "Accept", "Add", "Announce", "Arrive", "Block", "Create", "Delete", "Dislike", "Flag", "Follow", "Ignore", "Invite", "Join", "Leave",
        "Like", "Listen", "Move", "Offer", "Question", "Reject", "Read", "Remove", "TentativeReject", "TentativeAccept", "Travel", "Undo",
        "Update", "View", "Application", "Group", "Organization", "Person", "Service", "Article", "Audio", "Document", "Event", "Image",
        "Note", "Page", "Place", "Profile", "Relationship", "Tombstone", "Video", "Mention",
        // properties
        "actor", "attachment", "attributedTo", "audience", "bcc", "bto", "cc", "context", "current", "first", "generator", "icon", "image",
        "inReplyTo", "instrument", "last", "location", "items", "orderedItems", "oneOf", "anyOf", "closed", "origin", "next", "object", "prev",
        "preview", "result", "replies", "tag", "target", "to", "url", "accuracy", "altitude", "content", "contentMap", "name", "nameMap",
        "duration", "height", "href", "hreflang", "partOf", "latitude", "longitude", "mediaType", "endTime", "published", "startTime", "radius",
        "rel", "startIndex", "summary", "summaryMap", "totalItems", "units", "updated", "width", "subject", "relationship", "describes",
        "formerType", "deleted",
        // actor properties (ActivityPub, in the same context)
        "inbox", "outbox", "following", "followers", "liked", "likes", "shares", "streams", "preferredUsername", "endpoints", "proxyUrl",
        "oauthAuthorizationEndpoint", "oauthTokenEndpoint", "provideClientKey", "signClientKey", "sharedInbox", "source", "uploadMedia",
    ];

    /// <summary>Terms https://w3id.org/security/v1 defines that we use.</summary>
    private static readonly HashSet<string> SecurityV1Terms = ["publicKey", "publicKeyPem", "owner", "created"];

    /// <summary>Terms whose values are @json literals: their insides are data, not terms.</summary>
    private static readonly HashSet<string> JsonLiteralTerms = [ActivityStreamsContext.Data, ActivityStreamsContext.Schema];

    /// <summary>Language maps (@container @language in the ActivityStreams context): their keys are language tags.</summary>
    private static readonly HashSet<string> LanguageMapTerms = ["nameMap", "summaryMap", "contentMap"];

    /// <summary>Terms whose string values are themselves terms (types).</summary>
    private static readonly HashSet<string> TypeTerms = ["type", "formerType"];

    [Fact]
    public void Spec_context_document_is_valid_json_and_equals_the_code()
    {
        var path = Path.Combine(RepositoryRoot(), "spec", "context.jsonld");
        var text = File.ReadAllText(path);
        var node = JsonNode.Parse(text); // throws on invalid JSON
        Assert.True(JsonNode.DeepEquals(ActivityStreamsContext.Document(), node), "spec/context.jsonld differs from ActivityStreamsContext");
        var context = node!["@context"]!.AsArray();
        Assert.Equal(ActivityStreamsContext.ActivityStreams, (string?)context[0]);
        Assert.Equal(ActivityStreamsContext.SecurityV1, (string?)context[1]);
        Assert.Equal(ActivityStreamsContext.CommonsNamespace, (string?)context[2]!["commons"]);
    }

    [Fact]
    public void Context_element_and_fresh_copies_agree_and_are_independent()
    {
        var a = ActivityStreamsContext.Create();
        a.Add("mutated");
        Assert.Equal(3, ActivityStreamsContext.Create().Count);
        Assert.Equal(3, ActivityStreamsContext.Element.GetArrayLength());
        Assert.True(JsonNode.DeepEquals(JsonSerializer.SerializeToNode(ActivityStreamsContext.Element), ActivityStreamsContext.Create()));
    }

    [Fact]
    public void Inline_terms_expand_to_absolute_iris()
    {
        var inline = ActivityStreamsContext.InlineTerms;
        var prefixes = new Dictionary<string, string>
        {
            ["as"] = "https://www.w3.org/ns/activitystreams#",
        };
        foreach (var (key, value) in inline)
            if (value is JsonValue v && v.TryGetValue<string>(out var s) && s.EndsWith('#') || value is JsonValue v2 && v2.TryGetValue<string>(out var s2) && s2.EndsWith('/'))
                prefixes[key] = (string)value!;
        foreach (var (term, definition) in inline)
        {
            var iri = definition is JsonObject o ? (string?)o["@id"] : (string?)definition;
            Assert.False(string.IsNullOrEmpty(iri), term);
            var colon = iri!.IndexOf(':');
            var prefix = iri[..colon];
            Assert.True(prefix is "http" or "https" || prefixes.ContainsKey(prefix), $"{term} uses an undefined prefix '{prefix}'");
            if (term.Contains(':')) Assert.Equal(term, iri); // compact-IRI terms map to themselves
        }
        Assert.Equal("@json", (string?)inline[ActivityStreamsContext.Data]!["@type"]);
        Assert.Equal("@json", (string?)inline[ActivityStreamsContext.Schema]!["@type"]);
    }

    public static IEnumerable<object[]> BuilderOutputs()
    {
        var d = Offers(SharingPolicy.Public, "contact.email");
        var record = Record("r1", """{"name":"Drill","contact":{"email":"e","phone":"p"},"nested":{"weird key":1,"@id":"x"}}""");
        var follow = new FollowReference("http://127.0.0.1:5082/actor#follows/1", "http://127.0.0.1:5082/actor", Uris.DatasetActor("offers"));
        var g = Guid.NewGuid();
        var keys = Keys with { PreviousEd25519Keys = [new PublishedMultikey("old", "z6MkOld")] };
        var actor = ActorDocuments.DatasetActor(d, Uris, keys);
        var create = DatasetActivities.Create(d, Change(1, ChangeKind.Create, "r1"), record, Uris);
        var outbox = Uris.DatasetOutbox("offers");
        yield return ["dataset actor", actor];
        yield return ["approval dataset actor", ActorDocuments.DatasetActor(Offers(SharingPolicy.Approval), Uris, Keys)];
        yield return ["node actor", ActorDocuments.NodeActor("Node", Uris, Keys, Created)];
        yield return ["note", RecordObjects.Note(record, d, Uris)];
        yield return ["tombstone", RecordObjects.Tombstone("r1", d, Uris, Updated, withContext: true)];
        yield return ["create", create];
        yield return ["update", DatasetActivities.Update(d, Change(2, ChangeKind.Update, "r1"), record, Uris)];
        yield return ["delete", DatasetActivities.Delete(d, Change(3, ChangeKind.Delete, "r1"), "r1", Uris)];
        yield return ["actor update", DatasetActivities.UpdateActor(d, actor, ActivityUris.ActorUpdateId(Uris.DatasetActor("offers"), 2), Updated, Uris)];
        yield return ["follow", FollowActivities.Follow(follow.Actor, follow.Object, g)];
        yield return ["accept", FollowActivities.Accept(follow, g)];
        yield return ["reject", FollowActivities.Reject(follow, g)];
        yield return ["undo", FollowActivities.Undo(follow, g)];
        yield return ["collection", CollectionDocuments.OrderedCollection(outbox, 1, outbox + "?page=1", outbox + "?page=1")];
        yield return ["page", CollectionDocuments.OrderedCollectionPage(outbox + "?page=1", outbox, [create], outbox + "?page=2", outbox + "?page=0", 1)];
    }

    [Theory]
    [MemberData(nameof(BuilderOutputs))]
    public void Every_term_the_builders_emit_is_activitystreams_security_or_inline(string what, JsonObject document)
    {
        Assert.True(document.ContainsKey("@context"), what);
        var inline = ActivityStreamsContext.InlineTerms.Select(p => p.Key).ToHashSet();
        var unknown = new SortedSet<string>();
        var seen = new HashSet<string>();
        Walk(document, isRoot: true);
        Assert.True(unknown.Count == 0, $"{what}: terms not defined by the context: {string.Join(", ", unknown)}");
        Assert.Contains("type", seen);

        void Check(string term)
        {
            seen.Add(term);
            if (!ActivityStreamsTerms.Contains(term) && !SecurityV1Terms.Contains(term) && !inline.Contains(term)) unknown.Add(term);
        }

        void Walk(JsonNode? node, bool isRoot = false)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        if (key == "@context")
                        {
                            Assert.True(isRoot, $"{what}: @context only at the top");
                            continue;
                        }
                        Check(key);
                        if (JsonLiteralTerms.Contains(key)) continue;
                        if (LanguageMapTerms.Contains(key))
                        {
                            Assert.All(value!.AsObject(), p => Assert.Matches("^(fr|nl|en)$", p.Key));
                            continue;
                        }
                        if (TypeTerms.Contains(key))
                        {
                            foreach (var t in value is JsonArray a ? a.ToArray() : new[] { value })
                                Check((string)t!);
                            continue;
                        }
                        Walk(value);
                    }
                    break;
                case JsonArray array:
                    foreach (var item in array) Walk(item);
                    break;
            }
        }
    }

    [Fact]
    public void The_term_check_catches_an_undefined_term()
    {
        var doc = ActivityStreamsContext.Document();
        doc["type"] = "Note";
        doc["sensitive"] = false; // Mastodon's as:sensitive is not in our context
        var ex = Assert.ThrowsAny<Exception>(() => Every_term_the_builders_emit_is_activitystreams_security_or_inline("probe", doc));
        Assert.Contains("sensitive", ex.Message);
    }

    [Fact]
    public void Well_known_documents_are_plain_json_without_context()
    {
        Assert.False(WebFingerDocuments.ForDataset("offers", Uris).ContainsKey("@context"));
        Assert.False(NodeInfoDocuments.NodeInfo("1.0.0", 1, "n").ContainsKey("@context"));
    }
}
