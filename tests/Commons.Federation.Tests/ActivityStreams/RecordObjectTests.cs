using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

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

    [Fact]
    public void Content_of_one_record_carries_nothing_of_the_previous_one()
    {
        // Written into a builder kept per thread: a long record before a short one must leave nothing behind.
        var longOne = RecordObjects.Content(ParseJson($$"""{"text":"{{new string('a', 100_000)}}","n":[1,{"k":"<v>"}]}"""));
        Assert.Equal("<p><strong>text</strong>: " + new string('a', 100_000) + "</p><p><strong>n</strong>: [1,{&quot;k&quot;:&quot;&lt;v&gt;&quot;}]</p>", longOne);
        Assert.Equal("<p><strong>b</strong>: 2</p>", RecordObjects.Content(ParseJson("""{"b":2}""")));
        Assert.Equal("", RecordObjects.Content(ParseJson("[1]")));
    }

    [Fact]
    public void The_notes_data_is_a_copy_the_record_does_not_share()
    {
        var record = Record("r1", Body);
        var note = RecordObjects.Note(record, Offers(), Uris);
        note["commons:data"]!["name"] = "changed";
        Assert.Equal("Drill", record.Data.GetProperty("name").GetString());
        Assert.Equal("Drill", (string?)RecordObjects.Note(record, Offers(), Uris)["commons:data"]!["name"]);
    }

    [Theory]
    [InlineData()]
    [InlineData("contact.email")]
    public void A_note_outlives_the_pooled_document_its_record_was_read_from(params string[] excluded)
    {
        // The note's commons:data is read lazily, when the note is written out: it must not be the caller's element.
        var pooled = JsonDocument.Parse(Body);
        var note = RecordObjects.Note(Record("r1", Body) with { Data = pooled.RootElement }, Offers(SharingPolicy.Public, excluded), Uris);
        pooled.Dispose();
        var expected = RecordObjects.Note(Record("r1", Body), Offers(SharingPolicy.Public, excluded), Uris);
        Assert.Equal(expected.ToJsonString(), note.ToJsonString());

        // Over an element of a document already returned to the pool: refused at once, not a note that fails when sent.
        Assert.Throws<ObjectDisposedException>(() => RecordObjects.Note(Record("r1", Body) with { Data = pooled.RootElement }, Offers(), Uris));
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
