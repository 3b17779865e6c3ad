using System.Collections.Concurrent;
using System.Diagnostics;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Digests;
using Commons.Federation.Tests.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Delivery;

/// <summary>
/// A round encodes and digests each activity once and signs every delivery with the sender's key of the moment: peers on
/// 127.0.0.1 (WireMock) verify every request with the real verifier against the sender's current public key.
/// </summary>
public sealed class FanOutBodyTests : IDisposable
{
    private readonly WireMockServer _peer = HttpTest.StartPeer();
    private readonly DeliveryRig _rig = new();
    private readonly ConcurrentQueue<(string Path, string Body, bool Valid, string Detail)> _received = new();

    public FanOutBodyTests()
    {
        var verifier = _rig.PeerVerifier();
        _peer.Given(Request.Create().WithPath("/inbox/*").UsingPost()).RespondWith(Response.Create().WithCallback(async request =>
        {
            var result = await verifier.VerifyAsync(HttpTest.ToSignable(request));
            var digest = ContentDigestHeader.Verify(request.Headers?["Content-Digest"].SingleOrDefault(), request.BodyAsBytes);
            var valid = result.IsValid && result.Scheme == HttpSignatureScheme.Rfc9421 && digest == DigestVerificationOutcome.Valid;
            _received.Enqueue((request.Path, request.Body ?? "", valid, $"{result} / digest {digest}"));
            return HttpTest.Respond(valid ? 202 : 401);
        }));
    }

    public void Dispose()
    {
        _peer.Stop();
        _rig.Dispose();
    }

    private string Inbox(int n) => $"http://127.0.0.1:{_peer.Port()}/inbox/{n}";

    /// <summary>What the peer logged, once <paramref name="expected"/> requests are there (at most 15 s: a loaded CI machine may log late).</summary>
    private async Task<List<(string Path, string Body, bool Valid, string Detail)>> Received(int expected)
    {
        var waited = Stopwatch.StartNew();
        while (_received.Count < expected && waited.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(10);
        return [.. _received];
    }

    [Fact]
    public async Task Two_activities_fanned_out_in_one_round_each_reach_every_inbox_with_their_own_body_and_digest()
    {
        var inboxes = Enumerable.Range(0, 6).Select(Inbox).ToArray();
        var first = _rig.Outbox.Items(DeliveryRig.Sender, DeliveryRig.Activity("https://node.test/datasets/offers/changes/1"), inboxes).ToList();
        var second = _rig.Outbox.Items(DeliveryRig.Sender, DeliveryRig.Activity("https://node.test/datasets/offers/changes/2"), inboxes).ToList();
        Assert.NotEqual(first[0].ActivityJson, second[0].ActivityJson);
        _rig.Queue.Enqueue([.. first, .. second]);

        Assert.Equal(12, await _rig.RunOnceAsync());

        var received = await Received(12);
        Assert.All(received, r => Assert.True(r.Valid, r.Detail));
        foreach (var path in inboxes.Select(i => new Uri(i).AbsolutePath))
        {
            var bodies = received.Where(r => r.Path == path).Select(r => r.Body).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(new[] { first[0].ActivityJson, second[0].ActivityJson }.Order(StringComparer.Ordinal), bodies);
        }
        Assert.Equal(0, _rig.Queue.CountPending());
    }

    [Fact]
    public async Task A_key_rotated_between_two_rounds_signs_the_next_delivery()
    {
        _rig.Enqueue(Inbox(0));
        Assert.Equal(1, await _rig.RunOnceAsync());
        var before = _rig.Keys.For(DeliveryRig.Sender).RsaPublicPem;

        _rig.Keys.Rotate(DeliveryRig.Sender);
        _rig.Enqueue(Inbox(1));
        Assert.Equal(1, await _rig.RunOnceAsync());

        Assert.NotEqual(before, _rig.Keys.For(DeliveryRig.Sender).RsaPublicPem);
        var received = await Received(2);
        Assert.Equal(2, received.Count);
        // The peer verifies against the current key: a delivery still signed with the retired one is refused (401) and stays queued.
        Assert.All(received, r => Assert.True(r.Valid, r.Detail));
        Assert.Equal(0, _rig.Queue.CountPending());
    }
}
