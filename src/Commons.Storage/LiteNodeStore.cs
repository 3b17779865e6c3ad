using Commons.Core.Nodes;
using LiteDB;

namespace Commons.Storage;

public sealed class LiteNodeStore(CommonsDatabase database) : INodeStore
{
    private const string Id = "node";
    private ILiteCollection<BsonDocument> Col => database.Engine.GetCollection("node");

    public NodeIdentity? Get() => database.Read(Read);

    public void Save(NodeIdentity identity) => database.Write(() => Col.Upsert(ToDocument(identity)));

    public NodeIdentity Update(Func<NodeIdentity, NodeIdentity> change) => database.Write(() =>
    {
        var changed = change(Read() ?? throw new InvalidOperationException("the node is not initialised"));
        Col.Upsert(ToDocument(changed));
        return changed;
    });

    private NodeIdentity? Read()
    {
        var d = Col.FindById(Id);
        // Documents written before the description and the checklist switch read as none and shown.
        return d is null ? null : new NodeIdentity
        {
            Name = d["name"].AsString,
            Description = Bson.Localized(d["description"]),
            FirstRunHidden = d["firstRunHidden"].IsBoolean && d["firstRunHidden"].AsBoolean,
            CreatedAt = Bson.Time(d["createdAt"]),
            TokenSigningKey = d["tokenKey"].AsBinary,
        };
    }

    private static BsonDocument ToDocument(NodeIdentity identity) => new()
    {
        ["_id"] = Id,
        ["name"] = identity.Name,
        ["description"] = Bson.Localized(identity.Description),
        ["firstRunHidden"] = identity.FirstRunHidden,
        ["createdAt"] = Bson.Time(identity.CreatedAt),
        ["tokenKey"] = identity.TokenSigningKey,
    };
}
