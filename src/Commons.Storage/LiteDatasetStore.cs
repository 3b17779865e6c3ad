using Commons.Core.Changes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Modules;
using LiteDB;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Commons.Storage;

public sealed class LiteDatasetStore(CommonsDatabase database, ILogger<LiteDatasetStore>? log = null) : IDatasetStore
{
    private readonly ILogger _log = log ?? NullLogger<LiteDatasetStore>.Instance;
    private readonly HashSet<(string Slug, long Version)> _reported = [];

    internal const string Collection = "datasets";
    // Create, Update and Delete run in CommonsDatabase.Write, which moves the datasets epoch when it ends.
    private ILiteCollection<BsonDocument> Col => database.Engine.GetCollection(Collection);
    private ILiteCollection<BsonDocument> Meta => database.Db.GetCollection("meta");

    public Dataset Create(Dataset dataset) => database.Write(() =>
    {
        if (Col.FindById(dataset.Slug) is not null) throw new ConflictException($"a dataset '{dataset.Slug}' exists already");
        var counter = Meta.FindById("nextDatasetKey");
        var key = counter is null ? 1 : counter["value"].AsInt32;
        Meta.Upsert(new BsonDocument { ["_id"] = "nextDatasetKey", ["value"] = key + 1 });
        var stored = dataset with { Key = key };
        Col.Insert(ToBson(stored));
        return stored;
    });

    /// <summary>
    /// Datasets decoded at <see cref="_decodedEpoch"/>, by slug: every record write looks its dataset up, and the point read
    /// of its document is most of that look-up's time. Trusted only while <see cref="CommonsDatabase.DatasetsEpoch"/> has not
    /// moved, that is while nothing that could write a dataset document reached the engine. Reached only under the write gate.
    /// </summary>
    private readonly Dictionary<string, Dataset> _decoded = new(StringComparer.Ordinal);
    private long _decodedEpoch = -1;

    public Dataset? Find(string slug) => database.Read(() =>
    {
        // A snapshot sees the file as it was when it began: it neither uses nor fills what is kept for the present.
        if (database.InSnapshot) return Col.FindById(slug) is { } old ? FromBson(old) : null;
        if (_decodedEpoch != database.DatasetsEpoch)
        {
            _decoded.Clear();
            _decodedEpoch = database.DatasetsEpoch;
        }
        if (_decoded.TryGetValue(slug, out var kept)) return kept;
        if (Col.FindById(slug) is not { } doc) return null;
        return _decoded[slug] = FromBson(doc);
    });

    public IReadOnlyList<Dataset> List() => database.Read(() => Col.FindAll().ToList()).Select(FromBson).ToList();

    public Change? Update(Dataset dataset, ChangeDraft? change) => database.Write(() =>
    {
        if (!Col.Update(ToBson(dataset))) throw new NotFoundException($"no dataset '{dataset.Slug}'");
        return change is null ? null : ChangeLog.Append(database, dataset.Key, change);
    });

    /// <summary>
    /// Removes the dataset, its records, its live count and its feed in one transaction: they are ranges of the shared
    /// collections (<see cref="StoreLayout"/>), so nothing is left to tidy up once it commits.
    /// </summary>
    public void Delete(Dataset dataset) => database.Write(() => DeleteInTransaction(dataset));

    public void Delete(Dataset dataset, string module, Action<IModuleData> cleanUp)
    {
        ArgumentNullException.ThrowIfNull(cleanUp);
        database.Write(() =>
        {
            cleanUp(new LiteModuleData(database.Db, module));
            DeleteInTransaction(dataset);
        });
    }

    private void DeleteInTransaction(Dataset dataset)
    {
        Col.Delete(dataset.Slug);
        database.Db.GetCollection(StoreLayout.Records).DeleteMany(StoreLayout.RecordsOf(dataset.Key));
        database.Db.GetCollection(StoreLayout.RecordCounts).Delete(dataset.Key);
        database.Heads.Remove(dataset.Key);
        database.Db.GetCollection(StoreLayout.Changes).DeleteMany(StoreLayout.ChangesOf(dataset.Key, 0));
    }

    private static BsonDocument ToBson(Dataset d) => new()
    {
        ["_id"] = d.Slug,
        ["key"] = d.Key,
        ["kind"] = d.Kind,
        ["kindVersion"] = d.KindVersion,
        ["title"] = Bson.Localized(d.Title),
        ["description"] = Bson.Localized(d.Description),
        ["schema"] = d.Schema,
        ["license"] = Bson.Text(d.License),
        ["policy"] = (int)d.Policy,
        ["allowedPeers"] = Bson.Strings(d.AllowedPeers),
        ["excludedFields"] = Bson.Strings(d.ExcludedFields),
        ["titleField"] = Bson.Text(d.TitleField),
        ["columns"] = Bson.Strings(d.Columns),
        ["grants"] = new BsonArray(d.Grants.Select(g => new BsonDocument { ["user"] = g.Username, ["role"] = (int)g.Role })),
        ["createdAt"] = Bson.Time(d.CreatedAt),
        ["createdBy"] = Bson.Text(d.CreatedBy),
        ["updatedAt"] = Bson.Time(d.UpdatedAt),
        ["version"] = d.Version,
    };

    private Dataset FromBson(BsonDocument d) => new()
    {
        Slug = d["_id"].AsString,
        Key = d["key"].AsInt32,
        // Stored before kinds existed: a custom dataset.
        Kind = d.TryGetValue("kind", out var kind) && kind.IsString ? kind.AsString : Core.Kinds.DatasetKind.Custom,
        KindVersion = d.TryGetValue("kindVersion", out var kv) && kv.IsInt32 ? kv.AsInt32 : 0,
        Title = Bson.Localized(d["title"]),
        Description = Bson.Localized(d["description"]),
        Schema = d["schema"].AsString,
        License = Bson.Text(d["license"]),
        Policy = (SharingPolicy)d["policy"].AsInt32,
        AllowedPeers = Bson.Strings(d["allowedPeers"]),
        ExcludedFields = Bson.Strings(d["excludedFields"]),
        // Stored before display choices existed: the defaults.
        TitleField = d.TryGetValue("titleField", out var tf) && tf.IsString ? tf.AsString : null,
        Columns = d.TryGetValue("columns", out var cols) && cols.IsArray ? Bson.Strings(cols) : [],
        Grants = Grants(d),
        CreatedAt = Bson.Time(d["createdAt"]),
        CreatedBy = Bson.Text(d["createdBy"]),
        UpdatedAt = Bson.Time(d["updatedAt"]),
        Version = d["version"].AsInt64,
    };

    /// <summary>
    /// The dataset's grants, without those that are not a member and a known role. Such a grant (stored by a version that
    /// did not check the body) gives nobody access, so leaving it out denies nothing anyone was given, where guessing a
    /// role could grant what nobody chose; keeping it would make every listing fail. It stays in the document, where
    /// <c>check</c> reports it, until a steward next changes the grants.
    /// </summary>
    private List<DatasetGrant> Grants(BsonDocument d)
    {
        var grants = new List<DatasetGrant>();
        if (!d["grants"].IsArray) { Report(d, "its grants are not a list"); return grants; }
        foreach (var g in d["grants"].AsArray)
        {
            if (IsValidGrant(g)) grants.Add(new DatasetGrant(g["user"].AsString, (GrantRole)g["role"].AsInt32));
            else Report(d, $"a grant is damaged ({g})");
        }
        return grants;
    }

    internal static bool IsValidGrant(BsonValue g) =>
        g.IsDocument && g["user"].IsString && g["role"].IsInt32 && Enum.IsDefined((GrantRole)g["role"].AsInt32);

    private void Report(BsonDocument d, string problem)
    {
        var slug = d["_id"].IsString ? d["_id"].AsString : d["_id"].ToString();
        lock (_reported)
            if (!_reported.Add((slug, d["version"].IsInt64 ? d["version"].AsInt64 : 0))) return;
        _log.LogWarning("Dataset {Slug}: {Problem}; it is left out (commons-node check reports it)", slug, problem);
    }

}
