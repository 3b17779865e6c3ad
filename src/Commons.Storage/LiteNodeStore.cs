using Commons.Core.Nodes;
using LiteDB;

namespace Commons.Storage;

public sealed class LiteNodeStore(CommonsDatabase database) : INodeStore
{
    private ILiteCollection<BsonDocument> Col => database.Db.GetCollection("node");

    public NodeIdentity? Get()
    {
        var d = database.Read(() => Col.FindById("node"));
        return d is null ? null : new NodeIdentity
        {
            Name = d["name"].AsString,
            CreatedAt = Bson.Time(d["createdAt"]),
            TokenSigningKey = d["tokenKey"].AsBinary,
        };
    }

    public void Save(NodeIdentity identity) => database.Write(() => Col.Upsert(new BsonDocument
    {
        ["_id"] = "node",
        ["name"] = identity.Name,
        ["createdAt"] = Bson.Time(identity.CreatedAt),
        ["tokenKey"] = identity.TokenSigningKey,
    }));
}
