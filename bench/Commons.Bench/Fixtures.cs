using System.Globalization;
using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Text;
using Commons.Core.Tokens;
using Commons.Storage;
using LiteDB;

namespace Commons.Bench;

/// <summary>The "offers" dataset the benchmarks write: a realistic schema and deterministic sample records.</summary>
public static class Offers
{
    public const string Slug = "offers";

    /// <summary>Offers and needs of resources between collectives (capability C4), as a JSON Schema 2020-12.</summary>
    public const string Schema = """
    {
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "type": "object",
      "required": ["title", "kind", "category", "organisation"],
      "additionalProperties": false,
      "properties": {
        "title": { "type": "string", "minLength": 1, "maxLength": 200 },
        "description": { "type": "string", "maxLength": 4000 },
        "kind": { "enum": ["offer", "need"] },
        "category": { "enum": ["place", "admin", "logistics", "legal", "communication", "accounting", "facilitation", "network", "tools"] },
        "organisation": { "type": "string", "minLength": 1, "maxLength": 120 },
        "quantity": { "type": "integer", "minimum": 0, "maximum": 100000 },
        "unit": { "type": "string", "maxLength": 40 },
        "price": { "type": "number", "minimum": 0 },
        "currency": { "enum": ["EUR", "credit", "free"] },
        "availableFrom": { "type": "string", "format": "date" },
        "availableUntil": { "type": "string", "format": "date" },
        "updated": { "type": "string", "format": "date-time" },
        "url": { "type": "string", "format": "uri" },
        "contact": {
          "type": "object",
          "required": ["name", "email"],
          "additionalProperties": false,
          "properties": {
            "name": { "type": "string", "minLength": 1, "maxLength": 120 },
            "email": { "type": "string", "format": "email" },
            "phone": { "type": "string", "maxLength": 30 }
          }
        },
        "location": {
          "type": "object",
          "properties": {
            "address": { "type": "string", "maxLength": 200 },
            "postcode": { "type": "string", "maxLength": 10 },
            "lat": { "type": "number", "minimum": -90, "maximum": 90 },
            "lon": { "type": "number", "minimum": -180, "maximum": 180 }
          }
        },
        "languages": { "type": "array", "items": { "enum": ["fr", "nl", "en"] }, "maxItems": 3 },
        "tags": { "type": "array", "items": { "type": "string", "minLength": 1, "maxLength": 40 }, "maxItems": 20 }
      }
    }
    """;

    private static readonly string[] Titles =
    [
        "Salle de réunion à prêter le mardi", "Vergaderzaal beschikbaar op dinsdag", "Comptabilité partagée pour ASBL",
        "Hulp bij boekhouding gezocht", "Camionnette pour déménagements", "Juridisch advies voor coöperaties",
        "Animation d'intelligence collective", "Atelier vélo et outillage", "Graphiste pour affiches bilingues",
        "Opslagruimte in Molenbeek", "Cuisine équipée pour événements", "Need: facilitator for the general assembly",
    ];
    private static readonly string[] Orgs =
    [
        "Collectif Écoute", "Coopérative Bâtir Ensemble", "vzw Samen Sterk", "ASBL Quartier Vivant", "De Groene Fiets",
        "Maison des Alternatives", "Épicerie solidaire du Parvis", "Repair Café Sint-Gillis",
    ];
    private static readonly string[] Categories = ["place", "admin", "logistics", "legal", "communication", "accounting", "facilitation", "network", "tools"];
    private static readonly string[] Tags = ["bruxelles", "brussel", "économie sociale", "coöperatie", "mutualisation", "vélo", "salle", "outil", "formation", "énergie"];

    /// <summary>The i-th sample record body as JSON text (about 900 bytes; French and Dutch text with accents).</summary>
    public static string Json(int i)
    {
        var r = new Random(i);
        var from = new DateOnly(2025, 1, 1).AddDays(r.Next(0, 365));
        var body = new Dictionary<string, object?>
        {
            ["title"] = $"{Titles[i % Titles.Length]} #{i}",
            ["description"] = "Nous mettons à disposition cette ressource pour les membres du réseau Mutualisons ! Samen bouwen. "
                              + "Wij stellen deze middelen ter beschikking van de leden van het netwerk. Réservation une semaine à l'avance, "
                              + "participation libre aux frais. Contactez-nous pour les détails pratiques (accès, clés, horaires).",
            ["kind"] = i % 3 == 0 ? "need" : "offer",
            ["category"] = Categories[r.Next(Categories.Length)],
            ["organisation"] = Orgs[r.Next(Orgs.Length)],
            ["quantity"] = r.Next(1, 50),
            ["unit"] = i % 2 == 0 ? "heures" : "uren",
            ["price"] = Math.Round(r.NextDouble() * 80, 2),
            ["currency"] = (i % 3) switch { 0 => "EUR", 1 => "credit", _ => "free" },
            ["availableFrom"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["availableUntil"] = from.AddDays(r.Next(7, 180)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["updated"] = new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero).AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["url"] = $"https://alternatives.example/offres/{i}",
            ["contact"] = new Dictionary<string, object?>
            {
                ["name"] = i % 2 == 0 ? "Hélène Dubois" : "Joris Vermeulen",
                ["email"] = $"contact{i % 97}@alternatives.example",
                ["phone"] = "+32 2 555 01 23",
            },
            ["location"] = new Dictionary<string, object?>
            {
                ["address"] = "Rue de la Senne 12, 1000 Bruxelles",
                ["postcode"] = "1000",
                ["lat"] = 50.84 + r.NextDouble() / 100,
                ["lon"] = 4.35 + r.NextDouble() / 100,
            },
            ["languages"] = i % 2 == 0 ? new[] { "fr", "nl" } : new[] { "nl", "en" },
            ["tags"] = Enumerable.Range(0, 3).Select(k => Tags[(i + k * 3) % Tags.Length]).ToArray(),
        };
        return System.Text.Json.JsonSerializer.Serialize(body);
    }

    public static JsonElement Element(int i) => JsonDocument.Parse(Json(i)).RootElement.Clone();

    public static DatasetDraft Draft(string slug = Slug) => new()
    {
        Slug = slug,
        Title = new LocalizedText("Offres et besoins", "Aanbod en vraag", "Offers and needs"),
        Description = new LocalizedText("Ce que nous proposons et cherchons", "Wat we aanbieden en zoeken", "What we offer and look for"),
        Schema = Schema,
        License = "CC-BY-SA-4.0",
        Policy = SharingPolicy.Public,
        ExcludedFields = ["contact.phone"],
    };
}

/// <summary>The node's storage and services, wired as the node wires them, on a real LiteDB file in a folder.</summary>
public sealed class NodeStores : IDisposable
{
    public static readonly Caller Admin = new("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    public CommonsDatabase Database { get; }
    public LiteDatasetStore DatasetStore { get; }
    public LiteRecordStore RecordStore { get; }
    public LiteChangeFeed Feed { get; }
    public LiteMemberStore Members { get; }
    public LiteTokenStore Tokens { get; }
    public DatasetService Datasets { get; }
    public RecordService Records { get; }

    public NodeStores(string dataDirectory)
    {
        Database = CommonsDatabase.Open(dataDirectory);
        DatasetStore = new LiteDatasetStore(Database);
        RecordStore = new LiteRecordStore(Database);
        Feed = new LiteChangeFeed(Database);
        Members = new LiteMemberStore(Database);
        Tokens = new LiteTokenStore(Database);
        Datasets = new DatasetService(DatasetStore, RecordStore, Members, TimeProvider.System);
        Records = new RecordService(Datasets, RecordStore, Feed, new RecordLimits(), TimeProvider.System);
    }

    /// <summary>The "offers" dataset, created if missing.</summary>
    public Dataset EnsureOffers() => DatasetStore.Find(Offers.Slug) ?? Datasets.Create(Admin, Offers.Draft());

    public void Dispose() => Database.Dispose();
}

/// <summary>A plain LiteDB file opened the way <see cref="CommonsDatabase"/> opens the node's file, for the raw rates.</summary>
public static class RawLite
{
    public static LiteDatabase Open(string directory)
    {
        Directory.CreateDirectory(directory);
        var cs = new ConnectionString
        {
            Filename = Path.Combine(directory, "raw.db"),
            Connection = ConnectionType.Direct,
            Collation = new Collation(CultureInfo.InvariantCulture.LCID, CompareOptions.Ordinal),
        };
        return new LiteDatabase(cs) { UtcDate = true };
    }

    /// <summary>
    /// The BSON document the record store writes for a new record (same fields as the storage layer's record mapping:
    /// id, revision, data, shared, deleted, created/updated at/by, folded search text). <paramref name="data"/> is
    /// converted once, ahead of time, so the raw rate is LiteDB's alone.
    /// </summary>
    public static BsonDocument RecordDocument(string id, BsonValue data, string searchText, long nowTicks) => new()
    {
        ["_id"] = id,
        ["rev"] = 1L,
        ["data"] = data,
        ["shared"] = true,
        ["del"] = false,
        ["ca"] = nowTicks,
        ["cb"] = "admin",
        ["ua"] = nowTicks,
        ["ub"] = "admin",
        ["da"] = BsonValue.Null,
        ["txt"] = searchText,
    };

    public static (BsonValue Data, string Text) Prepared(JsonElement body) => (JsonBson.ToBson(body), SearchText.FromJson(body));
}

public static class TempDirs
{
    public static string New(string what)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"commons-bench-{what}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void Delete(string? dir)
    {
        if (dir is null) return;
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
