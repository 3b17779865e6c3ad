using Commons.Core.Datasets;
using LiteDB;

namespace Commons.Storage;

/// <summary>Small conversions shared by the mappers. Instants are kept as UTC ticks (exact, sortable).</summary>
internal static class Bson
{
    public static BsonValue Time(DateTimeOffset t) => new(t.UtcTicks);
    public static BsonValue Time(DateTimeOffset? t) => t is { } v ? new BsonValue(v.UtcTicks) : BsonValue.Null;
    public static DateTimeOffset Time(BsonValue v) => new(v.AsInt64, TimeSpan.Zero);
    public static DateTimeOffset? OptionalTime(BsonValue v) => v.IsNull ? null : new DateTimeOffset(v.AsInt64, TimeSpan.Zero);
    public static BsonValue Text(string? s) => s is null ? BsonValue.Null : new BsonValue(s);
    public static string? Text(BsonValue v) => v.IsNull ? null : v.AsString;
    public static BsonArray Strings(IEnumerable<string> items) => new(items.Select(s => new BsonValue(s)));
    public static IReadOnlyList<string> Strings(BsonValue v) => v.IsArray ? v.AsArray.Select(x => x.AsString).ToList() : [];
    public static BsonDocument Localized(LocalizedText t) => new() { ["fr"] = Text(t.Fr), ["nl"] = Text(t.Nl), ["en"] = Text(t.En) };
    /// <summary>Missing (a document written before the field existed) reads as empty text.</summary>
    public static LocalizedText Localized(BsonValue v) => v.IsDocument ? new(Text(v["fr"]), Text(v["nl"]), Text(v["en"])) : LocalizedText.Empty;
}
