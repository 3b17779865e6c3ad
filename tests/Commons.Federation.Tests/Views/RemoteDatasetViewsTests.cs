using Commons.Core.Errors;
using Commons.Federation.Signatures.Messages;
using Commons.Federation.Tests.Http;
using Commons.Federation.Views;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Views;

/// <summary>
/// Reading a remote dataset's view from owners that misbehave (WireMock on 127.0.0.1): the GET is signed and its query
/// escaped; 404 and 410 are <c>not_found</c>; a 5xx, an error, an answer that is not JSON or is over 1 MiB, and an owner
/// that does not answer are <c>origin_unreachable</c>; a bad view name or query is refused before anything is sent.
/// </summary>
public sealed class RemoteDatasetViewsTests : IDisposable
{
    private readonly WireMockServer _peer = HttpTest.StartPeer();
    private readonly RemoteDatasetViews _views = new(HttpTest.Client(), HttpTest.Signer);

    public void Dispose() => _peer.Stop();

    private string Actor => _peer.PeerUrl("/datasets/rooms");

    private Task<System.Text.Json.JsonElement> Fetch(string view, IReadOnlyDictionary<string, string>? query = null) =>
        _views.FetchAsync(Actor, view, query ?? new Dictionary<string, string>(), CancellationToken.None);

    private void Serve(string view, int status, string? body = null) =>
        _peer.Given(Request.Create().WithPath($"/datasets/rooms/views/{view}").UsingGet()).RespondWith(Response.Create().WithCallback(_ => HttpTest.Respond(status, body)));

    [Fact]
    public async Task The_view_is_fetched_signed_with_its_query_escaped()
    {
        Serve("slots", 200, """{"free":["9:00"]}""");
        var view = await Fetch("slots", new Dictionary<string, string> { ["day"] = "2026-12-07", ["room"] = "salle A&B" });
        Assert.Equal("9:00", view.GetProperty("free")[0].GetString());

        var request = Assert.Single(_peer.LogEntries).RequestMessage!;
        Assert.Equal(("2026-12-07", "salle A&B"), (request.Query!["day"].ToString(), request.Query!["room"].ToString()));
        Assert.Contains(HttpTest.KeyId, HttpTest.ToSignable(request).Headers.GetCombinedValue("Signature-Input") ?? "");
        Assert.Equal("application/json", HttpTest.ToSignable(request).Headers.GetCombinedValue("Accept"));
    }

    [Fact]
    public async Task Not_found_and_gone_are_not_found()
    {
        Serve("none", 404, """{"code":"not_found"}""");
        Serve("gone", 410);
        Assert.Equal(ProblemCodes.NotFound, (await Assert.ThrowsAsync<NotFoundException>(() => Fetch("none"))).Code);
        Assert.Equal(ProblemCodes.NotFound, (await Assert.ThrowsAsync<NotFoundException>(() => Fetch("gone"))).Code);
    }

    [Fact]
    public async Task An_error_an_answer_that_is_not_json_or_too_big_and_silence_are_origin_unreachable()
    {
        Serve("broken", 503, "down");
        Serve("refusing", 409, """{"code":"room_taken"}""");
        Serve("html", 200, "<html>hello</html>");
        Serve("huge", 200, "[\"" + new string('x', RemoteDatasetViews.MaxResponseBytes) + "\"]");
        Assert.Contains("503", (await Assert.ThrowsAsync<OriginUnreachableException>(() => Fetch("broken"))).Detail);
        Assert.Contains("409 (room_taken)", (await Assert.ThrowsAsync<OriginUnreachableException>(() => Fetch("refusing"))).Detail);
        Assert.Contains("not JSON", (await Assert.ThrowsAsync<OriginUnreachableException>(() => Fetch("html"))).Detail);
        Assert.Equal(ProblemCodes.OriginUnreachable, (await Assert.ThrowsAsync<OriginUnreachableException>(() => Fetch("huge"))).Code);

        var closed = HttpTest.FreePort();
        var silence = await Assert.ThrowsAsync<OriginUnreachableException>(() =>
            _views.FetchAsync($"http://{HttpTest.PeerHost}:{closed}/datasets/rooms", "slots", new Dictionary<string, string>(), CancellationToken.None));
        Assert.Equal(ProblemCodes.OriginUnreachable, silence.Code);
    }

    [Fact]
    public async Task A_bad_view_name_actor_or_query_is_refused_before_anything_is_sent()
    {
        Assert.Equal(ProblemCodes.InvalidParameter, (await Assert.ThrowsAsync<ValidationException>(() => Fetch("../records"))).Code);
        Assert.Equal(ProblemCodes.InvalidParameter, (await Assert.ThrowsAsync<ValidationException>(() => Fetch("Slots"))).Code);
        await Assert.ThrowsAsync<ValidationException>(() => _views.FetchAsync("file:///etc/passwd", "slots", new Dictionary<string, string>(), CancellationToken.None));
        await Assert.ThrowsAsync<ValidationException>(() => Fetch("slots", Enumerable.Range(0, 17).ToDictionary(i => $"p{i}", _ => "v")));
        await Assert.ThrowsAsync<ValidationException>(() => Fetch("slots", new Dictionary<string, string> { ["room"] = new string('a', 201) }));
        Assert.Empty(_peer.LogEntries);
    }

    [Fact]
    public async Task Nothing_is_sent_while_the_node_does_not_federate()
    {
        var closed = new RemoteDatasetViews(HttpTest.Client(), HttpTest.Signer, () => throw new ForbiddenException("federation is off"));
        await Assert.ThrowsAsync<ForbiddenException>(() => closed.FetchAsync(Actor, "slots", new Dictionary<string, string>(), CancellationToken.None));
        Assert.Empty(_peer.LogEntries);
    }
}
