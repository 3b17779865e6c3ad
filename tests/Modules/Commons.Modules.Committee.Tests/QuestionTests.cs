using System.Text.Json.Nodes;
using Commons.Core.Changes;
using Commons.Core.Errors;
using Commons.Core.Kinds;
using Commons.Federation.ActivityStreams;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Polls;
using Commons.Modules.Committee.Tests.Support;
using Commons.Storage;
using static Commons.Modules.Committee.Tests.Support.CommitteeNode;

namespace Commons.Modules.Committee.Tests;

/// <summary>
/// A proposal as member nodes receive and fetch it: the platform's record object (the one fan-out, backfill and a
/// fetch at its id all build) reshaped into a Mastodon-readable Question, with counts only where results may be seen,
/// and the closing's Update{Question} with the final counts.
/// </summary>
public sealed class QuestionTests
{
    private static ActivityUris Uris(CommitteeNode c) => new(new Uri("https://coordinator.example/"))
    {
        Shapes = new RecordObjectShapes([new ProposalQuestion(c.ModuleStore, c.DatasetStore, c.RecordStore)]),
    };

    private static JsonObject Question(CommitteeNode c, string id)
    {
        var dataset = c.DatasetStore.Find("proposals")!;
        return RecordObjects.Note(c.RecordStore.Get(dataset.Key, id)!, dataset, Uris(c));
    }

    private static int? Total(JsonObject question, int option) => question["oneOf"]![option]!["replies"]?["totalItems"]?.GetValue<int>();

    [Fact]
    public async Task A_proposal_is_a_Question_with_its_title_and_text_in_three_languages_its_options_as_Notes_and_its_end_time()
    {
        await using var s = await CommitteeScenario.StartAsync(3);
        var c = s.Coordinator;
        c.Propose("p1");
        var q = Question(c, "p1");
        Assert.Equal("Question", q["type"]!.GetValue<string>());
        Assert.Equal("https://coordinator.example/datasets/proposals/records/p1", q["id"]!.GetValue<string>());
        Assert.Equal("https://coordinator.example/datasets/proposals", q["attributedTo"]!.GetValue<string>());
        Assert.Equal("Proposal p1", q["name"]!.GetValue<string>());
        Assert.Equal("<p><strong>Proposal p1</strong></p>", q["content"]!.GetValue<string>());
        Assert.Equal(["en", "fr", "nl"], q["contentMap"]!.AsObject().Select(p => p.Key));
        Assert.Equal("<p><strong>Voorstel p1</strong></p>", q["contentMap"]!["nl"]!.GetValue<string>());
        Assert.Equal(["yes", "no", "abstain"], q["oneOf"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
        Assert.All(q["oneOf"]!.AsArray(), o => Assert.Equal("Note", o!["type"]!.GetValue<string>()));
        Assert.Equal("2026-12-07T10:00:00Z", q["endTime"]!.GetValue<string>());
        Assert.Null(q["closed"]);
        Assert.Null(q["anyOf"]);
        // The record rides along for the replicas, and the addressing is the dataset's (followers only: Approval).
        Assert.Equal("simple", q["commons:data"]!["rule"]!.GetValue<string>());
        Assert.Equal(1, q["commons:revision"]!.GetValue<long>());
        Assert.Equal("https://coordinator.example/datasets/proposals/followers", q["to"]![0]!.GetValue<string>());
        Assert.Null(q["cc"]);
        // Open results: the counts so far, by ballots (members with weight count once here; the tally has the weights).
        Assert.Equal(0, Total(q, 0));
        Assert.Equal(0, q["votersCount"]!.GetValue<int>());
        await s.VoteManyAsync("p1", 2, 1, 0);
        q = Question(c, "p1");
        Assert.Equal([2, 1, 0], Enumerable.Range(0, 3).Select(i => Total(q, i)!.Value));
        Assert.Equal(3, q["votersCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Choices_are_named_by_their_label_and_text_is_HTML_encoded()
    {
        await using var s = await CommitteeScenario.StartAsync(2);
        var c = s.Coordinator;
        var proposal = new JsonObject
        {
            ["title"] = new JsonObject { ["fr"] = "Lieu <de> réunion" },
            ["text"] = new JsonObject { ["fr"] = "Première ligne\nSeconde & dernière" },
            ["options"] = new JsonArray(new JsonObject { ["id"] = "liege", ["label"] = new JsonObject { ["fr"] = "Liège", ["en"] = "Liege" } }, new JsonObject { ["id"] = "gent" }),
            ["opens"] = "2026-12-07T09:00:00Z", ["closes"] = "2026-12-08T09:00:00+01:00", ["quorum"] = 0.5, ["rule"] = "simple",
        };
        c.Records.Create(Admin, "proposals", "p1", Doc(proposal));
        var q = Question(c, "p1");
        Assert.Equal(["Liege", "gent"], q["oneOf"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
        Assert.Equal("<p><strong>Lieu &lt;de&gt; réunion</strong></p><p>Première ligne</p><p>Seconde &amp; dernière</p>", q["content"]!.GetValue<string>());
        Assert.Equal(["fr"], q["contentMap"]!.AsObject().Select(p => p.Key));
        Assert.Equal("2026-12-08T08:00:00Z", q["endTime"]!.GetValue<string>());
        Assert.Equal("Lieu <de> réunion", q["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Hidden_results_show_no_count_before_closing_and_the_closing_sends_an_Update_of_the_Question_with_the_tallys_counts()
    {
        await using var s = await CommitteeScenario.StartAsync(4);
        var c = s.Coordinator;
        c.Propose("p1", hidden: true);
        await s.VoteManyAsync("p1", 2, 1, 1);
        var q = Question(c, "p1");
        Assert.All(q["oneOf"]!.AsArray(), o => Assert.Null(o!["replies"]));
        Assert.Null(q["votersCount"]);
        Assert.DoesNotContain("totalItems", q.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(q["closed"]);

        s.Close("p1");
        var dataset = c.DatasetStore.Find("proposals")!;
        var last = new LiteChangeFeed(c.Database).Since(dataset.Key, 1, 10).Last();
        Assert.Equal(ChangeKind.Update, last.Kind);
        var update = DatasetActivities.ForChange(dataset, last, c.RecordStore.Get(dataset.Key, "p1"), Uris(c))!;
        Assert.Equal("Update", update["type"]!.GetValue<string>());
        var closed = update["object"]!.AsObject();
        Assert.Equal("Question", closed["type"]!.GetValue<string>());
        Assert.Equal("2026-12-07T10:00:00Z", closed["closed"]!.GetValue<string>());
        Assert.Equal([2, 1, 1], Enumerable.Range(0, 3).Select(i => Total(closed, i)!.Value));
        Assert.Equal(4, closed["votersCount"]!.GetValue<int>());
        // Closing again does not write it twice; the proposal stays locked to anything else.
        s.Close("p1");
        Assert.Equal(last.Seq, new LiteChangeFeed(c.Database).LastSeq(dataset.Key));
    }

    [Fact]
    public async Task Closed_is_written_by_the_closing_only()
    {
        await using var s = await CommitteeScenario.StartAsync(2);
        var c = s.Coordinator;
        c.Propose("p1");
        var data = JsonNode.Parse(c.RecordStore.Get(c.DatasetStore.Find("proposals")!.Key, "p1")!.Data.GetRawText())!.AsObject();
        data["closed"] = "2026-12-07T09:30:00Z";
        Assert.Equal(CommitteeCodes.ProposalInvalid, Assert.ThrowsAny<CommonsException>(() => c.Records.Update(Admin, "proposals", "p1", Doc(data), null, null)).Code);
        Assert.Equal(CommitteeCodes.ProposalInvalid, Assert.ThrowsAny<CommonsException>(() => c.Records.Create(Admin, "proposals", "p2", Doc(data))).Code);
        s.Close("p1");
        var closed = JsonNode.Parse(c.RecordStore.Get(c.DatasetStore.Find("proposals")!.Key, "p1")!.Data.GetRawText())!.AsObject();
        closed["closed"] = "2026-12-07T11:00:00Z";
        Assert.Equal(CommitteeCodes.ProposalLocked, Assert.ThrowsAny<CommonsException>(() => c.Records.Update(Admin, "proposals", "p1", Doc(closed), null, null)).Code);
    }
}
