using Commons.Core.Datasets;
using Commons.Federation.ActivityStreams;
using static Commons.Federation.Tests.ActivityStreams.AsFixtures;

namespace Commons.Federation.Tests.ActivityStreams;

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
