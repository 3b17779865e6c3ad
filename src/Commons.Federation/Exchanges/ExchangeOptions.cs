using Commons.Core.Kinds;

namespace Commons.Federation.Exchanges;

/// <summary>
/// Configuration section <c>Exchanges</c>: how long a request waits for its answer. A kind this node does not know waits
/// <see cref="DefaultTimeout"/>; <see cref="Timeouts"/> overrides a kind's own <see cref="DatasetKind.RequestTimeout"/>
/// (<c>Exchanges:Timeouts:place.bookings = 00:10:00</c>).
/// </summary>
public sealed class ExchangeOptions
{
    public const string SectionName = "Exchanges";

    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromDays(2);
    public Dictionary<string, TimeSpan> Timeouts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a request to a dataset of <paramref name="kind"/> waits before it expires.</summary>
    public TimeSpan TimeoutFor(string kind, IDatasetKinds kinds) =>
        Timeouts.TryGetValue(kind, out var configured) ? configured
        : kinds.Find(kind)?.RequestTimeout ?? DefaultTimeout;
}
