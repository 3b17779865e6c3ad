namespace Commons.Federation.Delivery;

/// <summary>
/// When to try a failed delivery again: exponential backoff from 30 s, capped at 6 h, with ±20 % jitter so peers
/// coming back are not hit by every node at once; a peer's Retry-After is honoured when it asks for longer.
/// After <see cref="GiveUpAfter"/> (48 h by default) the delivery is given up and dead-lettered.
/// </summary>
public sealed class RetrySchedule
{
    public TimeSpan First { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan Cap { get; init; } = TimeSpan.FromHours(6);
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromHours(48);

    public TimeSpan Delay(int attempts, TimeSpan? retryAfter, Random random)
    {
        var exponential = First.TotalSeconds * Math.Pow(2, Math.Min(attempts - 1, 30));
        var seconds = Math.Min(exponential, Cap.TotalSeconds) * (0.8 + 0.4 * random.NextDouble());
        var delay = TimeSpan.FromSeconds(seconds);
        return retryAfter is { } r && r > delay ? (r > Cap ? Cap : r) : delay;
    }
}
