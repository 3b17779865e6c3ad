namespace Commons.Core.Changes;

/// <summary>
/// Told when a write's changes are in a dataset's feed, after the transaction committed, so whoever sends the feed on
/// (the federation fan-out) can start at once instead of at its next poll. A notice is a hint, not the data: a lost
/// one only delays the send until that poll, since the feed itself is the truth.
/// </summary>
public interface IChangeNotifier
{
    void ChangesCommitted(int datasetKey);
}

/// <summary>For hosts with nobody to tell (the CLI, tests of Core alone).</summary>
public sealed class NoChangeNotifier : IChangeNotifier
{
    public static readonly NoChangeNotifier Instance = new();

    public void ChangesCommitted(int datasetKey) { }
}
