namespace Commons.Core.Nodes;

/// <summary>The node itself: its name and the secrets it creates on first start. Secrets never leave the node.</summary>
public sealed record NodeIdentity
{
    public required string Name { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>HMAC key that signs members' short-lived access tokens (JWT).</summary>
    public required byte[] TokenSigningKey { get; init; }
}

public interface INodeStore
{
    NodeIdentity? Get();
    void Save(NodeIdentity identity);
}
