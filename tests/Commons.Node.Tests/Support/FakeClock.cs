namespace Commons.Node.Tests.Support;

/// <summary>
/// A clock that runs with real time plus an offset the test moves forward. Starting at real time keeps JWTs, which the
/// bearer handler may check against the real clock, valid; moving it forward expires tokens without waiting.
/// </summary>
public sealed class FakeClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
