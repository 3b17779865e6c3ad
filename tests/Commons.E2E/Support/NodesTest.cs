namespace Commons.E2E.Support;

/// <summary>A test class with <paramref name="count"/> real nodes A, B (, C), started together and stopped in reverse order.</summary>
public abstract class NodesTest(int count) : IAsyncLifetime
{
    private TestNode[] _nodes = [];

    protected TestNode A => _nodes[0];
    protected TestNode B => _nodes[1];
    protected TestNode C => _nodes[2];

    public virtual async Task InitializeAsync() =>
        _nodes = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => TestNode.StartAsync()));

    public virtual async Task DisposeAsync()
    {
        foreach (var node in _nodes.Reverse()) await node.DisposeAsync();
    }
}

/// <summary>Three real nodes with a <see cref="WireTap"/> on all of them, for tests that check what crossed the wire.</summary>
public abstract class TappedNodesTest() : NodesTest(3)
{
    protected WireTap Tap { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Tap = new WireTap(A, B, C);
    }

    public override async Task DisposeAsync()
    {
        Tap.Dispose();
        await base.DisposeAsync();
    }
}
