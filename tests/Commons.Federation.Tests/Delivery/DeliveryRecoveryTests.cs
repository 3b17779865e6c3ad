using System.Collections.Concurrent;
using Commons.Federation.Delivery;
using Commons.Federation.Tests.Http;
using Microsoft.Extensions.Logging;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Commons.Federation.Tests.Delivery;

/// <summary>
/// A host failing and coming back, against WireMock.Net peers on 127.0.0.1 with the real LiteDB queue and a clock the
/// test moves: its failures reach the log without flooding it, and once it answers its backlog goes at once.
/// </summary>
public sealed class DeliveryRecoveryTests : IDisposable
{
    private readonly List<WireMockServer> _peers = [];
    private readonly ListLogger _log = new();
    private readonly DeliveryRig _rig;

    public DeliveryRecoveryTests() => _rig = new DeliveryRig(log: _log);

    public void Dispose()
    {
        foreach (var peer in _peers) peer.Stop();
        _rig.Dispose();
    }

    private WireMockServer Peer(int status, int? retryAfterSeconds = null)
    {
        var peer = HttpTest.StartPeer();
        _peers.Add(peer);
        Answer(peer, status, retryAfterSeconds);
        return peer;
    }

    private static void Answer(WireMockServer peer, int status, int? retryAfterSeconds = null)
    {
        peer.ResetMappings();
        var response = Response.Create().WithStatusCode(status);
        if (retryAfterSeconds is { } seconds) response = response.WithHeader("Retry-After", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
        peer.Given(Request.Create().WithPath("/inbox").UsingPost()).RespondWith(response);
    }

    private static string Inbox(WireMockServer peer) => $"http://127.0.0.1:{peer.Port()}/inbox";

    private IReadOnlyList<string> Warnings() => _log.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message).ToList();

    [Fact]
    public async Task A_host_answering_again_at_its_first_retry_gets_the_rest_of_its_backlog_at_once_and_another_host_keeps_waiting()
    {
        var back = Peer(503);
        // Busy for an hour: its delivery is not due while the other host's backlog is worked through.
        var down = Peer(429, retryAfterSeconds: 3600);
        var backlog = Enumerable.Range(0, 3).SelectMany(_ => _rig.Enqueue(Inbox(back))).ToList();
        var other = Assert.Single(_rig.Enqueue(Inbox(down)));
        Assert.Equal(4, await _rig.RunOnceAsync());
        var waiting = backlog.Select(i => _rig.Queue.Find(i.Id)!).OrderBy(i => i.NextAttemptAt).ToList();
        var otherNext = _rig.Queue.Find(other.Id)!.NextAttemptAt;

        // The host is back; the earliest of its deliveries comes due and goes through.
        Answer(back, 202);
        _rig.Clock.SetTo(waiting[0].NextAttemptAt);
        Assert.Equal(1, await _rig.RunOnceAsync());
        Assert.Null(_rig.Queue.Find(waiting[0].Id));

        // The others of that host are due now, without waiting for their own slots; the other host's delivery is untouched.
        Assert.All(waiting.Skip(1), i => Assert.Equal(_rig.Clock.GetUtcNow(), _rig.Queue.Find(i.Id)!.NextAttemptAt));
        Assert.Equal(otherNext, _rig.Queue.Find(other.Id)!.NextAttemptAt);
        Assert.Equal(2, await _rig.RunOnceAsync());
        Assert.All(backlog, i => Assert.Null(_rig.Queue.Find(i.Id)));
        Assert.NotNull(_rig.Queue.Find(other.Id));
        Assert.Contains(_log.Lines, l => l.Level == LogLevel.Information && l.Message.Contains("works again", StringComparison.Ordinal)
            && l.Message.Contains($"127.0.0.1:{back.Port()}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_delivery_that_goes_through_brings_the_hosts_backlog_forward()
    {
        var peer = Peer(503);
        var backlog = Enumerable.Range(0, 2).SelectMany(_ => _rig.Enqueue(Inbox(peer))).ToList();
        Assert.Equal(2, await _rig.RunOnceAsync());

        Answer(peer, 202);
        _rig.Enqueue(Inbox(peer));
        Assert.Equal(1, await _rig.RunOnceAsync());
        Assert.Equal(2, await _rig.RunOnceAsync());
        Assert.Equal(0, _rig.Queue.CountPending());
    }

    [Fact]
    public async Task A_failing_host_that_sends_us_an_activity_gets_its_backlog_at_once_and_a_host_not_failing_is_left_alone()
    {
        var peer = Peer(503);
        var fine = Peer(202);
        var backlog = Enumerable.Range(0, 2).SelectMany(_ => _rig.Enqueue(Inbox(peer))).ToList();
        Assert.Equal(2, await _rig.RunOnceAsync());
        Assert.Equal(0, await _rig.RunOnceAsync());

        Assert.Equal(0, _rig.Processor.HostAnswered($"127.0.0.1:{fine.Port()}"));
        Answer(peer, 202);
        Assert.Equal(2, _rig.Processor.HostAnswered($"127.0.0.1:{peer.Port()}"));
        Assert.Equal(2, await _rig.RunOnceAsync());
        Assert.All(backlog, i => Assert.Null(_rig.Queue.Find(i.Id)));
        Assert.Equal(0, _rig.Processor.HostAnswered($"127.0.0.1:{peer.Port()}"));
    }

    [Fact]
    public async Task Failures_are_logged_once_per_host_then_at_most_once_per_interval_with_the_count()
    {
        var peer = Peer(503);
        var other = Peer(500);
        foreach (var _ in Enumerable.Range(0, 5)) _rig.Enqueue(Inbox(peer));
        _rig.Enqueue(Inbox(other));
        Assert.Equal(6, await _rig.RunOnceAsync());

        // One line per host, at its first failure, naming the host and the error.
        var first = Warnings();
        Assert.Equal(2, first.Count);
        Assert.Single(first, w => w.Contains($"127.0.0.1:{peer.Port()}", StringComparison.Ordinal) && w.Contains("HTTP 503", StringComparison.Ordinal));
        Assert.Single(first, w => w.Contains($"127.0.0.1:{other.Port()}", StringComparison.Ordinal) && w.Contains("HTTP 500", StringComparison.Ordinal));

        // Within the interval, more failures add no line.
        _rig.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(6, await _rig.RunOnceAsync());
        Assert.Equal(2, Warnings().Count);

        // Past it, the next failure of each host is one line counting the failures since the last one.
        _rig.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(6, await _rig.RunOnceAsync());
        var later = Warnings().Skip(2).ToList();
        Assert.Equal(2, later.Count);
        Assert.Single(later, w => w.Contains($"127.0.0.1:{peer.Port()}", StringComparison.Ordinal) && w.Contains(": 10 failed attempts", StringComparison.Ordinal));
    }

    /// <summary>Keeps what is logged, formatted.</summary>
    private sealed class ListLogger : ILogger<DeliveryProcessor>
    {
        private readonly ConcurrentQueue<(LogLevel Level, string Message)> _lines = new();

        public IReadOnlyList<(LogLevel Level, string Message)> Lines => _lines.ToList();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _lines.Enqueue((logLevel, formatter(state, exception)));
    }
}
