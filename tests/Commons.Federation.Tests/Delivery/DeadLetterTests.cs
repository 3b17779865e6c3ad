using Commons.Core.Federation;

namespace Commons.Federation.Tests.Delivery;

/// <summary>
/// What an administrator does with given-up deliveries, on the real LiteDB queue: page through them, retry one or all
/// (back in the queue, due now), or discard one for good. Deliveries die here the way they do in production: the target's
/// domain is blocked, so the processor gives up without sending anything.
/// </summary>
public sealed class DeadLetterTests : IDisposable
{
    private readonly DeliveryRig _rig = new(o => o.BlockedDomains = ["blocked.test"]);

    public void Dispose() => _rig.Dispose();

    private async Task<IReadOnlyList<DeliveryItem>> DeadLettersAsync(int count)
    {
        var items = _rig.Enqueue(Enumerable.Range(0, count).Select(i => $"http://p{i}.blocked.test/inbox").ToArray());
        await _rig.RunOnceAsync();
        Assert.Equal(count, _rig.Queue.CountDead());
        Assert.All(items, i => Assert.Contains("blocked", _rig.Queue.Find(i.Id)!.LastError));
        return items;
    }

    [Fact]
    public async Task Dead_letters_page_oldest_first_apart_from_live_deliveries()
    {
        var dead = await DeadLettersAsync(5);
        _rig.Clock.Advance(TimeSpan.FromMinutes(1));
        var live = _rig.Enqueue("http://alive.test/inbox");

        var first = _rig.Queue.Page(dead: true, 0, 3);
        var second = _rig.Queue.Page(dead: true, 3, 3);
        Assert.Equal(3, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Equal(dead.Select(d => d.Id).Order(StringComparer.Ordinal), first.Concat(second).Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Empty(_rig.Queue.Page(dead: true, 5, 3));
        Assert.Equal([live[0].Id], _rig.Queue.Page(dead: false, 0, 10).Select(d => d.Id));
        Assert.Equal(1, _rig.Queue.CountPending());
        Assert.Equal(0, _rig.Queue.CountRetrying()); // the live one was never tried; the dead ones are not retried
    }

    [Fact]
    public async Task Discarding_removes_a_dead_letter_but_never_a_live_delivery()
    {
        var dead = await DeadLettersAsync(2);
        var live = _rig.Enqueue("http://alive.test/inbox")[0];

        Assert.False(_rig.Queue.Discard(live.Id));
        Assert.False(_rig.Queue.Discard("no-such-delivery"));
        Assert.True(_rig.Queue.Discard(dead[0].Id));
        Assert.False(_rig.Queue.Discard(dead[0].Id));

        Assert.Null(_rig.Queue.Find(dead[0].Id));
        Assert.NotNull(_rig.Queue.Find(dead[1].Id));
        Assert.NotNull(_rig.Queue.Find(live.Id));
        Assert.Equal(1, _rig.Queue.CountDead());
    }

    [Fact]
    public async Task Retrying_all_puts_every_dead_letter_back_in_the_queue_due_now()
    {
        var dead = await DeadLettersAsync(3);
        _rig.Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(3, _rig.Processor.RetryAllDead());

        Assert.Equal(0, _rig.Queue.CountDead());
        Assert.Equal(3, _rig.Queue.CountPending());
        Assert.All(dead, d =>
        {
            var revived = _rig.Queue.Find(d.Id)!;
            Assert.False(revived.Dead);
            Assert.Equal(0, revived.Attempts);
            Assert.Equal(_rig.Clock.GetUtcNow(), revived.NextAttemptAt);
        });
        Assert.Equal(3, _rig.Queue.Due(_rig.Clock.GetUtcNow(), 10).Count);
        Assert.Equal(0, _rig.Processor.RetryAllDead());
    }
}
