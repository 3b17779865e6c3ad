using Commons.Core.Tokens;
using LiteDB;

namespace Commons.Storage;

public sealed class LiteTokenStore : ITokenStore
{
    private readonly CommonsDatabase _database;

    public LiteTokenStore(CommonsDatabase database)
    {
        _database = database;
        database.Read(() =>
        {
            Tokens.EnsureIndex("user");
            Refresh.EnsureIndex("user");
        });
    }

    private ILiteCollection<BsonDocument> Tokens => _database.Engine.GetCollection("tokens");
    private ILiteCollection<BsonDocument> Refresh => _database.Engine.GetCollection("refreshTokens");

    public void Add(AccessToken token) => _database.Write(() => Tokens.Insert(ToBson(token)));
    public AccessToken? Find(string id) => _database.Read(() => Tokens.FindById(id)) is { } d ? FromBson(d) : null;
    public IReadOnlyList<AccessToken> ListFor(string username) => _database.Read(() => Tokens.Find(StoreQueries.EQ("user", username)).Select(FromBson).ToList());
    public IReadOnlyList<AccessToken> ListAll() => _database.Read(() => Tokens.FindAll().Select(FromBson).ToList());
    public void Update(AccessToken token) => _database.Write(() => Tokens.Update(ToBson(token)));

    public void AddRefresh(RefreshToken token) => _database.Write(() => Refresh.Insert(new BsonDocument
    {
        ["_id"] = token.Id, ["user"] = token.Username, ["hash"] = token.SecretHash, ["stamp"] = token.SecurityStamp,
        ["expiresAt"] = Bson.Time(token.ExpiresAt), ["usedAt"] = Bson.Time(token.UsedAt),
    }));

    public RefreshToken? FindRefresh(string id) => _database.Read(() => Refresh.FindById(id)) is { } d ? new RefreshToken
    {
        Id = d["_id"].AsString, Username = d["user"].AsString, SecretHash = d["hash"].AsString, SecurityStamp = d["stamp"].AsString,
        ExpiresAt = Bson.Time(d["expiresAt"]), UsedAt = Bson.OptionalTime(d["usedAt"]),
    } : null;

    public bool TryUseRefresh(string id, DateTimeOffset at) => _database.Write(() =>
    {
        var d = Refresh.FindById(id);
        if (d is null || !d["usedAt"].IsNull) return false;
        d["usedAt"] = Bson.Time(at);
        return Refresh.Update(d);
    });

    public void RevokeRefreshTokensOf(string username) => _database.Write(() => Refresh.DeleteMany(StoreQueries.EQ("user", username)));

    private static BsonDocument ToBson(AccessToken t) => new()
    {
        ["_id"] = t.Id, ["user"] = t.Username, ["name"] = t.Name, ["hash"] = t.SecretHash, ["scopes"] = (int)t.Scopes,
        ["createdAt"] = Bson.Time(t.CreatedAt), ["expiresAt"] = Bson.Time(t.ExpiresAt), ["revokedAt"] = Bson.Time(t.RevokedAt),
        ["lastUsedAt"] = Bson.Time(t.LastUsedAt),
    };

    private static AccessToken FromBson(BsonDocument d) => new()
    {
        Id = d["_id"].AsString, Username = d["user"].AsString, Name = d["name"].AsString, SecretHash = d["hash"].AsString,
        Scopes = (TokenScopes)d["scopes"].AsInt32, CreatedAt = Bson.Time(d["createdAt"]), ExpiresAt = Bson.OptionalTime(d["expiresAt"]),
        RevokedAt = Bson.OptionalTime(d["revokedAt"]), LastUsedAt = Bson.OptionalTime(d["lastUsedAt"]),
    };
}
