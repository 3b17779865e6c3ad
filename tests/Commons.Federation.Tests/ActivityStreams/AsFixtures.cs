using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Changes;
using Commons.Core.Datasets;
using Record = Commons.Core.Records.Record;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Integrity;

namespace Commons.Federation.Tests.ActivityStreams;

/// <summary>Datasets, records and keys shared by the ActivityStreams tests.</summary>
internal static class AsFixtures
{
    public const string BaseUrl = "http://127.0.0.1:5081";
    public static readonly ActivityUris Uris = new(BaseUrl);
    public static readonly DateTimeOffset Created = new(2025, 3, 1, 9, 30, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Updated = new(2025, 3, 2, 10, 15, 30, 250, TimeSpan.Zero);

    private static readonly Lazy<string> RsaPem = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportSubjectPublicKeyInfoPem();
    });

    public static readonly string Ed25519Multibase = Multikey.EncodeEd25519PublicKey(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static ActorKeys Keys => new(RsaPem.Value, Ed25519Multibase);

    public const string OffersSchema = """
        {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
         "properties":{"name":{"type":"string"},"contact":{"type":"object"}},"required":["name"]}
        """;

    public static Dataset Offers(SharingPolicy policy = SharingPolicy.Public, params string[] excluded) => new()
    {
        Key = 1,
        Slug = "offers",
        Title = new LocalizedText("Offres", "Aanbod", "Offers"),
        Description = new LocalizedText("Ce que nous prêtons.", "Wat we uitlenen.", "What we lend."),
        Schema = OffersSchema,
        License = "CC-BY-4.0",
        Policy = policy,
        ExcludedFields = excluded,
        CreatedAt = Created,
        UpdatedAt = Created,
    };

    public static JsonElement ParseJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public static Record Record(string id, string data, long revision = 3) => new()
    {
        Id = id,
        Revision = revision,
        Data = ParseJson(data),
        CreatedAt = Created,
        UpdatedAt = Updated,
    };

    public static Change Change(long seq, ChangeKind kind, string recordId, long revision = 3) =>
        new(seq, kind, recordId, revision, "alice", Updated);

    public static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);

    /// <summary>The repository root (holds Commons.Node.sln), found from the test assembly's folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln"))) return dir.FullName;
        throw new InvalidOperationException("Commons.Node.sln not found above " + AppContext.BaseDirectory);
    }
}
