using Commons.Core.Federation;
using LiteDB;

namespace Commons.Storage.Federation;

public sealed class LiteActorKeyStore(CommonsDatabase database) : IActorKeyStore
{
    private ILiteCollection<BsonDocument> Col => database.Engine.GetCollection("actorKeys");

    public ActorKeys? Find(string actor) => database.Read(() => Col.FindById(actor)) is { } d ? new ActorKeys
    {
        Actor = d["_id"].AsString, RsaPrivatePkcs8 = d["rsa"].AsBinary, RsaPublicPem = d["rsaPublic"].AsString,
        Ed25519Seed = d["ed25519"].AsBinary, CreatedAt = Bson.Time(d["created"]), Generation = d["generation"].AsInt32,
        Retired = d["retired"].AsArray.Select(r => new RetiredKey(r["generation"].AsInt32, r["pem"].AsString, Bson.Text(r["ed25519"]), Bson.Time(r["at"]))).ToList(),
    } : null;

    public void Save(ActorKeys k) => database.Write(() => Col.Upsert(new BsonDocument
    {
        ["_id"] = k.Actor, ["rsa"] = k.RsaPrivatePkcs8, ["rsaPublic"] = k.RsaPublicPem, ["ed25519"] = k.Ed25519Seed,
        ["created"] = Bson.Time(k.CreatedAt), ["generation"] = k.Generation,
        ["retired"] = new BsonArray(k.Retired.Select(r => new BsonDocument { ["generation"] = r.Generation, ["pem"] = r.RsaPublicPem, ["ed25519"] = Bson.Text(r.Ed25519PublicMultikey), ["at"] = Bson.Time(r.RetiredAt) })),
    }));
}
