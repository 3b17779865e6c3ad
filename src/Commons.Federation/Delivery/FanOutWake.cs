using Commons.Core.Changes;

namespace Commons.Federation.Delivery;

/// <summary>Wakes the fan-out worker when a write committed changes, so followers hear of them without waiting for its poll.</summary>
public sealed class FanOutWake(WorkSignal signal) : IChangeNotifier
{
    public void ChangesCommitted(int datasetKey) => signal.FanOut.Set();
}
