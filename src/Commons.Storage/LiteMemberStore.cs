using Commons.Core.Errors;
using Commons.Core.Members;
using LiteDB;

namespace Commons.Storage;

public sealed class LiteMemberStore(CommonsDatabase database) : IMemberStore
{
    private ILiteCollection<BsonDocument> Col => database.Engine.GetCollection("members");

    public Member? Find(string username) => database.Read(() => Col.FindById(username)) is { } d ? FromBson(d) : null;
    public IReadOnlyList<Member> List() => database.Read(() => Col.FindAll().Select(FromBson).ToList());
    public int Count() => database.Read(() => Col.Count());

    public void Add(Member member) => database.Write(() =>
    {
        if (Col.FindById(member.Username) is not null) throw new ConflictException($"the username '{member.Username}' is taken");
        Col.Insert(ToBson(member));
    });

    public void Update(Member member) => database.Write(() =>
    {
        if (!Col.Update(ToBson(member))) throw new NotFoundException($"no member '{member.Username}'");
    });

    private static BsonDocument ToBson(Member m) => new()
    {
        ["_id"] = m.Username,
        ["displayName"] = m.DisplayName,
        ["passwordHash"] = m.PasswordHash,
        ["role"] = (int)m.Role,
        ["disabled"] = m.Disabled,
        ["stamp"] = m.SecurityStamp,
        ["mustChangePassword"] = m.MustChangePassword,
        ["createdAt"] = Bson.Time(m.CreatedAt),
        ["language"] = Bson.Text(m.PreferredLanguage),
    };

    private static Member FromBson(BsonDocument d) => new()
    {
        Username = d["_id"].AsString,
        DisplayName = d["displayName"].AsString,
        PasswordHash = d["passwordHash"].AsString,
        Role = (MemberRole)d["role"].AsInt32,
        Disabled = d["disabled"].AsBoolean,
        SecurityStamp = d["stamp"].AsString,
        MustChangePassword = d["mustChangePassword"].AsBoolean,
        CreatedAt = Bson.Time(d["createdAt"]),
        PreferredLanguage = Bson.Text(d["language"]),
    };
}
