using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Federation.Exchanges;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

/// <summary>spec/federation.md is what peers implement against: its JSON examples must parse and match the builders' shapes.</summary>
public sealed class SpecDocumentTests
{
    private static List<JsonNode> JsonExamples()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "spec", "federation.md"));
        return Regex.Matches(text, "```json\n(.*?)\n```", RegexOptions.Singleline)
            .Select(m => JsonNode.Parse(m.Groups[1].Value)!)
            .ToList();
    }

    [Fact]
    public void Every_json_example_parses()
    {
        var examples = JsonExamples();
        Assert.True(examples.Count >= 12, $"only {examples.Count} examples");
    }

    [Fact]
    public void Examples_have_the_same_properties_as_the_builders()
    {
        var examples = JsonExamples();
        JsonNode Example(string type) => examples.First(e => e is JsonObject o && (string?)o["type"] == type);
        void SameKeys(JsonObject built, JsonNode example) =>
            Assert.Equal(built.Select(p => p.Key).Order(), example.AsObject().Select(p => p.Key).Order());

        SameKeys(ActorDocuments.DatasetActor(Offers(), Uris, Keys), Example("Service"));
        SameKeys(ActorDocuments.NodeActor("n", Uris, Keys, Created), Example("Organization"));
        var follow = new FollowReference("a#follows/1", "a", "b");
        SameKeys(FollowActivities.Accept(follow, Guid.NewGuid()), Example("Accept"));
        SameKeys(FollowActivities.Undo(follow, Guid.NewGuid()), Example("Undo"));
        Assert.True(JsonNode.DeepEquals(ActivityStreamsContext.Document(), examples[0]), "§2 shows the context");
    }

    [Fact]
    public void Section_11_examples_have_the_properties_of_the_request_and_answer_builders()
    {
        var examples = JsonExamples().OfType<JsonObject>().ToList();
        void SameKeys(JsonObject built, JsonObject example) =>
            Assert.Equal(built.Select(p => p.Key).Order(), example.Select(p => p.Key).Order());

        using var data = System.Text.Json.JsonDocument.Parse("""{"slot":"mon-9"}""");
        var request = ExchangeActivities.Request("http://b/actor", "http://a/datasets/rooms", "place.book", data.RootElement, Guid.NewGuid(), Created);
        request["proof"] = new JsonObject();
        var offer = examples.Single(e => (string?)e["type"] == "Offer");
        SameKeys(request, offer);
        SameKeys(request["object"]!.AsObject(), offer["object"]!.AsObject());

        var exchange = new Exchange
        {
            Id = "http://b/actor#requests/1", TargetActor = "http://a/datasets/rooms", RequesterActor = "http://b/actor", PeerInbox = "http://b/actor/inbox",
            RequestType = "place.book", Kind = "place.bookings",
        };
        var reject = ExchangeActivities.Answer(exchange, RequestDecision.Refuse("place_booked", "booked"), Guid.NewGuid(), Created);
        reject["proof"] = new JsonObject();
        SameKeys(reject, examples.Single(e => (string?)e["type"] == "Reject" && e.ContainsKey("inReplyTo")));
    }

    [Fact]
    public void The_tags_section_5_names_are_the_tags_a_note_content_uses()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), "spec", "federation.md"));
        var sentence = Regex.Match(text, @"the only tags are ([^.]*)\.", RegexOptions.Singleline);
        Assert.True(sentence.Success, "§5 names the tags of a Note's content");
        var named = Regex.Matches(sentence.Groups[1].Value, "`([a-z]+)`").Select(m => m.Groups[1].Value).Order().ToList();

        using var data = System.Text.Json.JsonDocument.Parse("""{"name":"Drill <b>","notes":"line one\nline two","count":2,"gone":null}""");
        var content = RecordObjects.Content(data.RootElement);
        var used = Regex.Matches(content, "<([a-z]+)").Select(m => m.Groups[1].Value).Distinct().Order().ToList();
        Assert.Equal(used, named);
    }
}
