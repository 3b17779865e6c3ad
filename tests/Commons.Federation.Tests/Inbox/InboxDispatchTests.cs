using System.Text.Json;
using Commons.Core.Federation;
using Commons.Federation.Inbox;
using Commons.Storage;
using Commons.Storage.Federation;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Federation.Tests.Inbox;

/// <summary>
/// The inbox picks a handler by (activity type, object type): an embedded object by its type, an object given as a URI
/// (or absent) as "its id"; a pair nobody handles is marked processed with the pair named; two handlers of one pair are
/// refused at start.
/// </summary>
public sealed class InboxDispatchTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"commons-dispatch-{Guid.NewGuid():N}");
    private readonly CommonsDatabase _database;
    private readonly LiteInboxStore _inbox;
    private int _next;

    public InboxDispatchTests()
    {
        _database = CommonsDatabase.Open(_directory);
        _inbox = new LiteInboxStore(_database);
    }

    public void Dispose()
    {
        _database.Dispose();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private sealed class Recorder(string name, params ActivityKey[] keys) : IActivityHandler
    {
        public List<ActivityKey> Seen { get; } = [];
        public IReadOnlyList<ActivityKey> Handles => keys;

        public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct)
        {
            Seen.Add(activity.Key);
            return Task.FromResult($"{name} handled {activity.Key}");
        }
    }

    private static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    [Theory]
    [InlineData("""{"type":"Accept","object":{"id":"x","type":"Follow"}}""", "Accept{Follow}")]
    [InlineData("""{"type":"Accept","object":"http://b/actor#follows/1"}""", "Accept{(id)}")]
    [InlineData("""{"type":"Accept"}""", "Accept{(id)}")]
    [InlineData("""{"type":"Accept","object":{"id":"x"}}""", "Accept{(untyped)}")]
    [InlineData("""{"type":"as:Reject","object":[{"type":"https://www.w3.org/ns/activitystreams#Follow"}]}""", "Reject{Follow}")]
    [InlineData("""{"type":"Offer","object":{"type":"commons:Request"}}""", "Offer{commons:Request}")]
    [InlineData("""{"type":["Create","Announce"],"object":{"type":["Note","Page"]}}""", "Create{Note} Create{Page} Announce{Note} Announce{Page}")]
    [InlineData("""{"object":{"type":"Note"}}""", "")]
    public void An_activity_is_read_as_its_activity_and_object_type_pairs(string json, string expected) =>
        Assert.Equal(expected, string.Join(' ', InboxProcessor.Keys(Json(json))));

    private async Task<string> Process(InboxProcessor processor, string json)
    {
        var id = $"http://b/actor#a{++_next}";
        var body = Json(json);
        Assert.True(_inbox.TryAdd(new InboxEntry { ActivityId = id, ActorUri = "http://b/actor", Json = body.GetRawText(), ReceivedAt = DateTimeOffset.UtcNow }));
        Assert.Equal(1, await processor.RunOnceAsync(CancellationToken.None));
        return _database.Read(() => _database.Db.GetCollection("inbox").FindById(id)["outcome"].AsString);
    }

    [Fact]
    public async Task Two_meanings_of_Accept_go_to_two_handlers_and_an_unknown_pair_is_ignored_by_name()
    {
        var follows = new Recorder("follows", new("Accept", "Follow"), new("Accept", ActivityKey.Reference));
        var requests = new Recorder("requests", new ActivityKey("Accept", "commons:Request"));
        var processor = new InboxProcessor(_inbox, [follows, requests], NullLogger<InboxProcessor>.Instance);

        Assert.Equal("follows handled Accept{(id)}", await Process(processor, """{"type":"Accept","actor":"http://b/actor","object":"http://b/actor#follows/1"}"""));
        Assert.Equal("follows handled Accept{Follow}", await Process(processor, """{"type":"Accept","actor":"http://b/actor","object":{"id":"f","type":"Follow"}}"""));
        Assert.Equal("requests handled Accept{commons:Request}", await Process(processor, """{"type":"Accept","actor":"http://b/actor","object":{"id":"r","type":"commons:Request"}}"""));
        Assert.Equal("ignored: no handler for Accept{Note}", await Process(processor, """{"type":"Accept","actor":"http://b/actor","object":{"id":"n","type":"Note"}}"""));
        Assert.Equal("ignored: no handler for Like{(id)}", await Process(processor, """{"type":"Like","actor":"http://b/actor","object":"http://a/x"}"""));
        Assert.Equal(2, follows.Seen.Count);
        Assert.Single(requests.Seen);
    }

    [Fact]
    public async Task The_first_pair_a_handler_lists_wins_among_several_types()
    {
        var notes = new Recorder("notes", new ActivityKey("Create", "Note"));
        var processor = new InboxProcessor(_inbox, [notes], NullLogger<InboxProcessor>.Instance);
        Assert.Equal("notes handled Create{Note}", await Process(processor, """{"type":["Create"],"actor":"http://b/actor","object":{"type":["Article","Note"]}}"""));
    }

    [Fact]
    public void Two_handlers_of_the_same_pair_are_refused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new InboxProcessor(_inbox,
            [new Recorder("one", new ActivityKey("Reject", "Follow")), new Recorder("two", new ActivityKey("Reject", "Follow"))], NullLogger<InboxProcessor>.Instance));
        Assert.Contains("Reject{Follow}", e.Message, StringComparison.Ordinal);
    }
}
