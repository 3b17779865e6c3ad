using Commons.Core.Federation;
using Commons.Storage.Tests.Support;

namespace Commons.Federation.Tests.Delivery;

/// <summary>
/// The delivery worker polls the LiteDB queue with the current instant. LiteDB compiles every distinct expression text and
/// keeps it for the life of the process, so the instant must travel as a parameter: as text, each poll leaked a compiled
/// expression and paid its compilation on the delivery path.
/// </summary>
public sealed class DeliveryQueuePollTests : IDisposable
{
    private readonly DeliveryRig _rig = new();

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Polling_at_ever_new_instants_compiles_no_new_expression()
    {
        _rig.Enqueue("https://peer.test/inbox");
        _rig.Queue.Due(DeliveryRig.Start, 10);
        _rig.Queue.BringForward("peer.test", DeliveryRig.Start);
        var before = LiteExpressionCache.Count();

        for (var i = 1; i <= 200; i++)
        {
            _rig.Queue.Due(DeliveryRig.Start.AddMilliseconds(i * 7), 10);
            _rig.Queue.BringForward("peer.test", DeliveryRig.Start.AddMilliseconds(i * 7));
        }

        // Other tests of this assembly may compile their own expressions meanwhile, but not hundreds.
        Assert.InRange(LiteExpressionCache.Count() - before, 0, 20);
    }

    [Fact]
    public void An_item_is_due_from_its_instant_on_and_never_when_dead()
    {
        var at = DeliveryRig.Start.AddMinutes(5);
        var item = new DeliveryItem
        {
            Id = "due-at-5", Inbox = "https://peer.test/inbox", Sender = DeliveryRig.Sender, ActivityJson = "{}", CreatedAt = DeliveryRig.Start,
            NextAttemptAt = at,
        };
        _rig.Queue.Enqueue([item]);

        Assert.Empty(_rig.Queue.Due(at.AddTicks(-1), 10));
        Assert.Equal("due-at-5", Assert.Single(_rig.Queue.Due(at, 10)).Id);
        Assert.Equal(1, _rig.Queue.BringForward("peer.test", at.AddTicks(-1)));
        Assert.Single(_rig.Queue.Due(at.AddTicks(-1), 10));

        _rig.Queue.Update(item with { Dead = true });
        Assert.Empty(_rig.Queue.Due(at.AddHours(1), 10));
        Assert.Equal(0, _rig.Queue.BringForward("peer.test", DeliveryRig.Start));
    }
}
