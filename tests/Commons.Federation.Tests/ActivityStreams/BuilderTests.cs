using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Changes;
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

public sealed class RecordObjectTests
{
    private const string Body = """{"title":"Perceuse","name":"Drill","count":2,"available":true,"nothing":null,"tags":["tools","diy"],"contact":{"email":"secret@example.org","phone":"02 123"}}""";

    [Fact]
    public void Public_note_has_the_agreed_shape()
    {
        var note = RecordObjects.Note(Record("r1", Body), Offers(SharingPolicy.Public, "contact.email"), Uris);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/records/r1", (string?)note["id"]);
        Assert.Equal("Note", (string?)note["type"]);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers", (string?)note["attributedTo"]);
        Assert.Equal("Drill", (string?)note["name"]);
        Assert.Equal(
            "<p><strong>title</strong>: Perceuse</p><p><strong>name</strong>: Drill</p><p><strong>count</strong>: 2</p><p><strong>available</strong>: true</p>" +
            "<p><strong>nothing</strong>: </p><p><strong>tags</strong>: [&quot;tools&quot;,&quot;diy&quot;]</p><p><strong>contact</strong>: {&quot;phone&quot;:&quot;02 123&quot;}</p>",
            (string?)note["content"]);
        Assert.Equal("2025-03-01T09:30:00Z", (string?)note["published"]);
        Assert.Equal("2025-03-02T10:15:30Z", (string?)note["updated"]);
        Assert.Equal((string?)note["id"], (string?)note["url"]);
        Assert.Equal("""["https://www.w3.org/ns/activitystreams#Public"]""", note["to"]!.ToJsonString());
        Assert.Equal("""["http://127.0.0.1:5081/datasets/offers/followers"]""", note["cc"]!.ToJsonString());
        Assert.Equal(3L, (long)note["commons:revision"]!);
        Assert.Equal("""{"title":"Perceuse","name":"Drill","count":2,"available":true,"nothing":null,"tags":["tools","diy"],"contact":{"phone":"02 123"}}""",
            note["commons:data"]!.ToJsonString());
        Assert.False(note.ContainsKey("summary")); // Mastodon would show a summary as a content warning
    }

    [Theory]
    [InlineData(SharingPolicy.Peers)]
    [InlineData(SharingPolicy.Approval)]
    public void Non_public_notes_go_to_followers_only(SharingPolicy policy)
    {
        var note = RecordObjects.Note(Record("r1", Body), Offers(policy), Uris);
        Assert.Equal("""["http://127.0.0.1:5081/datasets/offers/followers"]""", note["to"]!.ToJsonString());
        Assert.False(note.ContainsKey("cc"));
        Assert.DoesNotContain("#Public", note.ToJsonString());
    }

    [Theory]
    [InlineData("""{"name":"N","title":"T","label":"L"}""", "N")]
    [InlineData("""{"title":"T","label":"L"}""", "T")]
    [InlineData("""{"label":"L"}""", "L")]
    [InlineData("""{"name":"  ","title":5,"label":"L"}""", "L")]
    [InlineData("""{"other":"x"}""", "rec-9")]
    [InlineData("""{"Name":"case matters"}""", "rec-9")]
    public void Name_is_the_first_string_among_name_title_label_else_the_id(string data, string expected) =>
        Assert.Equal(expected, (string?)RecordObjects.Note(Record("rec-9", data), Offers(), Uris)["name"]);

    [Fact]
    public void Hostile_field_names_and_values_are_escaped()
    {
        var data = """{"<img src=x onerror=alert(1)>":"<script>alert('pwned')</script>","nested":{"k":"</dd><script>x</script>"},"amp":"a & b \"q\""}""";
        var content = (string)RecordObjects.Note(Record("r", data), Offers(), Uris)["content"]!;
        Assert.DoesNotContain("<script", content);
        Assert.DoesNotContain("<img", content);
        Assert.DoesNotContain("</dd><script", content);
        Assert.Contains("<p><strong>&lt;img src=x onerror=alert(1)&gt;</strong>: &lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;</p>", content);
        Assert.Contains(": a &amp; b &quot;q&quot;</p>", content);
        // Only our own tags remain.
        var tags = System.Text.RegularExpressions.Regex.Matches(content, "<(/?)([a-z]+)").Select(m => m.Groups[2].Value).Distinct().Order();
        Assert.Equal(["p", "strong"], tags);
    }

    [Fact]
    public void Accents_stay_readable_and_newlines_become_breaks()
    {
        var content = (string)RecordObjects.Note(Record("r", """{"note":"Salle équipée\nà Schaerbeek"}"""), Offers(), Uris)["content"]!;
        Assert.Equal("<p><strong>note</strong>: Salle équipée<br>à Schaerbeek</p>", content);
    }

    [Fact]
    public void Excluded_fields_never_reach_the_bytes_at_any_depth()
    {
        const string data = """
            {"name":"Room","email":"TOP-SECRET-1","contact":{"email":"TOP-SECRET-2","phone":"ok"},
             "people":[{"email":"TOP-SECRET-3","name":"p"}],"deep":{"a":{"b":{"c":"TOP-SECRET-4"}}}}
            """;
        var dataset = Offers(SharingPolicy.Public, "email", "contact.email", "people.email", "deep.a.b.c");
        var change = Change(7, ChangeKind.Update, "r");
        var record = Record("r", data);
        foreach (var doc in new JsonNode[]
                 {
                     RecordObjects.Note(record, dataset, Uris),
                     DatasetActivities.Create(dataset, change, record, Uris),
                     DatasetActivities.Update(dataset, change, record, Uris),
                     DatasetActivities.ForChange(dataset, change, record, Uris)!,
                 })
        {
            foreach (var bytes in new[] { ActivityStreamsContext.Serialize(doc), Encoding.UTF8.GetBytes(doc.ToJsonString()) })
            {
                var text = Encoding.UTF8.GetString(bytes);
                Assert.DoesNotContain("TOP-SECRET", text);
                Assert.Contains("ok", text);
            }
        }
    }

    [Fact]
    public void Deleted_unshared_or_private_records_have_no_note()
    {
        Assert.Throws<InvalidOperationException>(() => RecordObjects.Note(Record("r", Body) with { Deleted = true }, Offers(), Uris));
        Assert.Throws<InvalidOperationException>(() => RecordObjects.Note(Record("r", Body) with { Shared = false }, Offers(), Uris));
        Assert.Throws<InvalidOperationException>(() => RecordObjects.Note(Record("r", Body), Offers(SharingPolicy.Private), Uris));
    }

    [Fact]
    public void Tombstone_has_the_agreed_shape()
    {
        var t = RecordObjects.Tombstone("r1", Offers(), Uris, Updated);
        Assert.Equal("""{"id":"http://127.0.0.1:5081/datasets/offers/records/r1","type":"Tombstone","formerType":"Note","deleted":"2025-03-02T10:15:30Z"}""", t.ToJsonString());
    }
}

public sealed class DatasetActivityTests
{
    private static readonly Commons.Core.Records.Record Drill = Record("r1", """{"name":"Drill","secret":"x"}""");

    [Fact]
    public void Create_wraps_the_note_with_a_stable_id_and_same_addressing()
    {
        var dataset = Offers(SharingPolicy.Public, "secret");
        var change = Change(12, ChangeKind.Create, "r1");
        var a = DatasetActivities.Create(dataset, change, Drill, Uris);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/changes/12", (string?)a["id"]);
        Assert.Equal("Create", (string?)a["type"]);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers", (string?)a["actor"]);
        Assert.Equal("2025-03-02T10:15:30Z", (string?)a["published"]);
        Assert.Equal(a["to"]!.ToJsonString(), a["object"]!["to"]!.ToJsonString());
        Assert.Equal(a["cc"]!.ToJsonString(), a["object"]!["cc"]!.ToJsonString());
        Assert.Equal("Note", (string?)a["object"]!["type"]);
        Assert.False(a["object"]!.AsObject().ContainsKey("@context"));
        Assert.Equal(a.ToJsonString(), DatasetActivities.Create(dataset, change, Drill, Uris).ToJsonString());
    }

    [Fact]
    public void Delete_carries_a_tombstone()
    {
        var a = DatasetActivities.Delete(Offers(SharingPolicy.Approval), Change(13, ChangeKind.Delete, "r1"), "r1", Uris);
        Assert.Equal("Delete", (string?)a["type"]);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/changes/13", (string?)a["id"]);
        Assert.Equal("Tombstone", (string?)a["object"]!["type"]);
        Assert.Equal("Note", (string?)a["object"]!["formerType"]);
        Assert.Equal("""["http://127.0.0.1:5081/datasets/offers/followers"]""", a["to"]!.ToJsonString());
        Assert.False(a.ContainsKey("cc"));
    }

    [Fact]
    public void ForChange_maps_each_kind()
    {
        var d = Offers();
        Assert.Equal("Create", (string?)DatasetActivities.ForChange(d, Change(1, ChangeKind.Create, "r1"), Drill, Uris)!["type"]);
        Assert.Equal("Update", (string?)DatasetActivities.ForChange(d, Change(2, ChangeKind.Update, "r1"), Drill, Uris)!["type"]);
        Assert.Equal("Delete", (string?)DatasetActivities.ForChange(d, Change(3, ChangeKind.Delete, "r1"), null, Uris)!["type"]);
        Assert.Equal("Create", (string?)DatasetActivities.ForChange(d, Change(4, ChangeKind.RecordSharing, "r1"), Drill, Uris)!["type"]);
        var unshared = Drill with { Shared = false, SharedOnce = true, Revision = 6, HiddenAtRevision = 5 };
        Assert.Equal("Delete", (string?)DatasetActivities.ForChange(d, Change(5, ChangeKind.RecordSharing, "r1", 5), unshared, Uris)!["type"]);
        // Changed while unshared: peers were told at the unshare; a backfill, which may meet a follower holding anything, tells again.
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Update, "r1", 6), unshared, Uris));
        Assert.Equal("Delete", (string?)DatasetActivities.ForCurrentState(d, Change(6, ChangeKind.Update, "r1", 6), unshared, Uris)!["type"]);
        // Hidden before the store kept the hiding revision: the unshare still tells, an edit does not.
        var hiddenLongAgo = unshared with { HiddenAtRevision = null };
        Assert.Equal("Delete", (string?)DatasetActivities.ForChange(d, Change(5, ChangeKind.RecordSharing, "r1", 5), hiddenLongAgo, Uris)!["type"]);
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Update, "r1", 6), hiddenLongAgo, Uris));
        // Never shared: not a word, not even its id, whatever happens to it.
        var neverShared = Drill with { Shared = false, SharedOnce = false };
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Update, "r1"), neverShared, Uris));
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Create, "r1"), neverShared, Uris));
        Assert.Null(DatasetActivities.ForChange(d, Change(6, ChangeKind.Delete, "r1"), neverShared with { Deleted = true }, Uris));
        Assert.Null(DatasetActivities.ForChange(d, new Change(7, ChangeKind.DatasetSharing, null, null, "a", Updated), null, Uris));
        Assert.Null(DatasetActivities.ForChange(Offers(SharingPolicy.Private), Change(8, ChangeKind.Create, "r1"), Drill, Uris));
    }

    [Fact]
    public void A_change_about_another_record_is_refused() =>
        Assert.Throws<ArgumentException>(() => DatasetActivities.Create(Offers(), Change(1, ChangeKind.Create, "other"), Drill, Uris));

    [Fact]
    public void UpdateActor_embeds_the_actor_without_its_context()
    {
        var d = Offers();
        var actor = ActorDocuments.DatasetActor(d, Uris, Keys);
        var a = DatasetActivities.UpdateActor(d, actor, Uris.Change("offers", 7), Updated, Uris);
        Assert.Equal("http://127.0.0.1:5081/datasets/offers/changes/7", (string?)a["id"]);
        Assert.Equal("Service", (string?)a["object"]!["type"]);
        Assert.False(a["object"]!.AsObject().ContainsKey("@context"));
        Assert.True(actor.ContainsKey("@context")); // the caller's document is left as it was
    }
}

public sealed class FollowActivityTests
{
    private const string Follower = "http://127.0.0.1:5082/actor";
    private const string Dataset = "http://127.0.0.1:5081/datasets/offers";
    private static readonly Guid G = new("6f1c1e4e-8d4b-4f5e-9a66-0c7a8f1d2b3c");

    [Fact]
    public void Follow_has_the_agreed_shape()
    {
        var f = FollowActivities.Follow(Follower, Dataset, G);
        Assert.Equal("http://127.0.0.1:5082/actor#follows/6f1c1e4e-8d4b-4f5e-9a66-0c7a8f1d2b3c", (string?)f["id"]);
        Assert.Equal("Follow", (string?)f["type"]);
        Assert.Equal(Follower, (string?)f["actor"]);
        Assert.Equal(Dataset, (string?)f["object"]);
        Assert.Equal($"""["{Dataset}"]""", f["to"]!.ToJsonString());
    }

    [Theory]
    [InlineData("Accept", "#accepts/")]
    [InlineData("Reject", "#rejects/")]
    public void Accept_and_reject_embed_the_follow(string type, string fragment)
    {
        var follow = new FollowReference("https://mastodon.example/0d4f", "https://mastodon.example/users/alice", Dataset);
        var a = type == "Accept" ? FollowActivities.Accept(follow, G) : FollowActivities.Reject(follow, G);
        Assert.Equal(type, (string?)a["type"]);
        Assert.Equal(Dataset + fragment + G, (string?)a["id"]);
        Assert.Equal(Dataset, (string?)a["actor"]);
        Assert.Equal("""{"id":"https://mastodon.example/0d4f","type":"Follow","actor":"https://mastodon.example/users/alice","object":"http://127.0.0.1:5081/datasets/offers"}""",
            a["object"]!.ToJsonString());
        Assert.Equal("""["https://mastodon.example/users/alice"]""", a["to"]!.ToJsonString());
    }

    [Fact]
    public void Undo_embeds_the_follow_and_reads_back()
    {
        var follow = new FollowReference(ActivityUris.FollowId(Follower, G), Follower, Dataset);
        var undo = FollowActivities.Undo(follow, G);
        Assert.Equal("Undo", (string?)undo["type"]);
        Assert.Equal(Follower, (string?)undo["actor"]);
        var read = IncomingActivity.Read(ToElement(undo));
        Assert.Equal("Undo", read.Type);
        Assert.Equal(follow.Id, read.ObjectId);
        var inner = read.ObjectAsActivity()!;
        Assert.Equal(("Follow", Follower, Dataset), (inner.Type, inner.ActorId, inner.ObjectId));
    }

    [Fact]
    public void Incomplete_follows_are_refused()
    {
        Assert.Throws<ArgumentException>(() => FollowActivities.Accept(new FollowReference("", Follower, Dataset), G));
        Assert.Throws<ArgumentException>(() => FollowActivities.Follow(" ", Dataset, G));
    }
}

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

public sealed class CollectionDocumentTests
{
    [Fact]
    public void Collection_and_pages()
    {
        var followers = Uris.DatasetFollowers("offers");
        var c = CollectionDocuments.OrderedCollection(followers, 3, ActivityUris.Page(followers, "1"));
        Assert.Equal("OrderedCollection", (string?)c["type"]);
        Assert.Equal(3L, (long)c["totalItems"]!);
        Assert.Equal(followers + "?page=1", (string?)c["first"]);

        var page = CollectionDocuments.OrderedCollectionPage(followers + "?page=1", followers, ["https://a.example/actor", "https://b.example/actor"], followers + "?page=2");
        Assert.Equal("OrderedCollectionPage", (string?)page["type"]);
        Assert.Equal(followers, (string?)page["partOf"]);
        Assert.Equal("""["https://a.example/actor","https://b.example/actor"]""", page["orderedItems"]!.ToJsonString());
        Assert.Equal(followers + "?page=2", (string?)page["next"]);
        Assert.False(page.ContainsKey("prev"));
    }

    [Fact]
    public void Count_only_collection_has_no_pages()
    {
        var c = CollectionDocuments.OrderedCollection(Uris.DatasetFollowers("offers"), 12, first: null);
        Assert.False(c.ContainsKey("first"));
    }

    [Fact]
    public void Activity_pages_drop_embedded_contexts_and_leave_the_items_alone()
    {
        var d = Offers();
        var create = DatasetActivities.Create(d, Change(1, ChangeKind.Create, "r1"), Record("r1", """{"name":"x"}"""), Uris);
        var outbox = Uris.DatasetOutbox("offers");
        var page = CollectionDocuments.OrderedCollectionPage(outbox + "?page=1", outbox, [create], next: null, prev: outbox + "?page=0");
        Assert.False(page["orderedItems"]![0]!.AsObject().ContainsKey("@context"));
        Assert.True(create.ContainsKey("@context"));
        Assert.Equal(outbox + "?page=0", (string?)page["prev"]);
    }
}
