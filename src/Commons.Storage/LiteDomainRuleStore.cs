using Commons.Core.Federation;
using LiteDB;

namespace Commons.Storage;

/// <summary>The runtime domain rules: one document in the <c>settings</c> collection, in backups like everything else.</summary>
public sealed class LiteDomainRuleStore(CommonsDatabase database) : IDomainRuleStore
{
    internal const string Collection = "settings";
    internal const string DocumentId = "domainRules";

    private ILiteCollection<BsonDocument> Col => database.Engine.GetCollection(Collection);

    public DomainRuleSettings Get() => database.Read(() => Col.FindById(DocumentId)) is { } d ? FromBson(d) : DomainRuleSettings.Empty;

    public void Save(DomainRuleSettings settings) => database.Write(() => Col.Upsert(ToBson(settings)));

    internal static BsonDocument ToBson(DomainRuleSettings s) => new()
    {
        ["_id"] = DocumentId,
        ["allowListOnly"] = s.AllowListOnly is { } b ? new BsonValue(b) : BsonValue.Null,
        ["blocked"] = Bson.Strings(s.Blocked),
        ["allowed"] = Bson.Strings(s.Allowed),
        ["updatedAt"] = Bson.Time(s.UpdatedAt),
        ["updatedBy"] = Bson.Text(s.UpdatedBy),
    };

    internal static DomainRuleSettings FromBson(BsonDocument d) => new()
    {
        AllowListOnly = d["allowListOnly"].IsBoolean ? d["allowListOnly"].AsBoolean : null,
        Blocked = Bson.Strings(d["blocked"]),
        Allowed = Bson.Strings(d["allowed"]),
        UpdatedAt = Bson.OptionalTime(d["updatedAt"]),
        UpdatedBy = Bson.Text(d["updatedBy"]),
    };
}
