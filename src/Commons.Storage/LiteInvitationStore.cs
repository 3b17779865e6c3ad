using Commons.Core.Members;
using LiteDB;

namespace Commons.Storage;

/// <summary>Invitations to become a member, in the <c>invitations</c> collection (<c>_id</c> = the invitation's id).</summary>
public sealed class LiteInvitationStore(CommonsDatabase database) : IInvitationStore
{
    public const string Collection = "invitations";

    private ILiteCollection<BsonDocument> Col => database.Engine.GetCollection(Collection);

    public void Add(Invitation invitation) => database.Write(() => Col.Insert(ToBson(invitation)));
    public Invitation? Find(string id) => database.Read(() => Col.FindById(id)) is { } d ? FromBson(d) : null;
    public IReadOnlyList<Invitation> List() => database.Read(() => Col.FindAll().Select(FromBson).ToList());
    public void Update(Invitation invitation) => database.Write(() => Col.Update(ToBson(invitation)));

    public bool TryConsume(string id, string username, DateTimeOffset at) => database.Write(() =>
    {
        if (Col.FindById(id) is not { } d) return false;
        var invitation = FromBson(d);
        if (invitation.StateAt(at) != InvitationState.Open) return false;
        return Col.Update(ToBson(invitation with { UsedAt = at, UsedBy = username }));
    });

    public void Release(string id) => database.Write(() =>
    {
        if (Col.FindById(id) is { } d) Col.Update(ToBson(FromBson(d) with { UsedAt = null, UsedBy = null }));
    });

    private static BsonDocument ToBson(Invitation i) => new()
    {
        ["_id"] = i.Id,
        ["hash"] = i.TokenHash,
        ["role"] = (int)i.Role,
        ["createdBy"] = i.CreatedBy,
        ["createdAt"] = Bson.Time(i.CreatedAt),
        ["expiresAt"] = Bson.Time(i.ExpiresAt),
        ["usedAt"] = Bson.Time(i.UsedAt),
        ["usedBy"] = Bson.Text(i.UsedBy),
        ["revokedAt"] = Bson.Time(i.RevokedAt),
    };

    internal static Invitation FromBson(BsonDocument d) => new()
    {
        Id = d["_id"].AsString,
        TokenHash = d["hash"].AsString,
        Role = (MemberRole)d["role"].AsInt32,
        CreatedBy = d["createdBy"].AsString,
        CreatedAt = Bson.Time(d["createdAt"]),
        ExpiresAt = Bson.Time(d["expiresAt"]),
        UsedAt = Bson.OptionalTime(d["usedAt"]),
        UsedBy = Bson.Text(d["usedBy"]),
        RevokedAt = Bson.OptionalTime(d["revokedAt"]),
    };
}
