using Commons.Core.Datasets;

namespace Commons.Core.Nodes;

/// <summary>The node itself: its name and the secrets it creates on first start. Secrets never leave the node.</summary>
public sealed record NodeIdentity
{
    public required string Name { get; init; }
    /// <summary>What the organisation is, in the node's three languages, as an administrator wrote it for the members.</summary>
    public LocalizedText Description { get; init; } = LocalizedText.Empty;
    /// <summary>An administrator hid the dashboard's first-run checklist for everyone.</summary>
    public bool FirstRunHidden { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>HMAC key that signs members' short-lived access tokens (JWT).</summary>
    public required byte[] TokenSigningKey { get; init; }
}

public interface INodeStore
{
    NodeIdentity? Get();
    void Save(NodeIdentity identity);

    /// <summary>Reads the stored identity, changes it and saves it in one write, so two changes of different parts both last.</summary>
    NodeIdentity Update(Func<NodeIdentity, NodeIdentity> change);
}
