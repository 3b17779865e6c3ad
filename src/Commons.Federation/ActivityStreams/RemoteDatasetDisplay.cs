using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;

namespace Commons.Federation.ActivityStreams;

/// <summary>
/// What a follower keeps of a remote dataset actor to show its records (spec §3.3): the schema, the title field, the
/// columns, the description as plain text, and its kind (what its modules may ask of it and read from it). The actor is someone else's document: anything too large, too deep or of
/// the wrong shape is dropped rather than kept, so a hostile actor costs us a few kilobytes at most.
/// </summary>
public sealed partial record RemoteDatasetDisplay(string? Schema, string? TitleField, IReadOnlyList<string> Columns, LocalizedText? DescriptionMap, string? Description)
{
    /// <summary>The dataset's kind (<c>commons:kind</c>), null when it names none or a name no kind could have.</summary>
    public string? Kind { get; init; }
    /// <summary>The longest kind name kept.</summary>
    public const int MaxKindLength = 100;

    /// <summary>The largest schema kept, in characters of compact JSON.</summary>
    public const int MaxSchemaLength = 64 * 1024;
    /// <summary>The deepest schema kept (objects and arrays inside one another).</summary>
    public const int MaxSchemaDepth = 32;
    /// <summary>The longest field name kept as a title field or a column.</summary>
    public const int MaxFieldLength = 200;
    public const int MaxColumns = 64;
    /// <summary>The longest description kept per language, in characters of plain text.</summary>
    public const int MaxDescriptionLength = 2000;

    public static RemoteDatasetDisplay Read(JsonElement actor)
    {
        if (actor.ValueKind != JsonValueKind.Object) return new(null, null, [], null, null);
        return new(SchemaOf(actor), FieldName(AsJson.Get(actor, ActivityStreamsContext.TitleField)), ColumnsOf(actor),
            DescriptionMapOf(actor), HtmlPlainText.Of(AsJson.String(actor, "summary"), MaxDescriptionLength)) { Kind = KindOf(actor) };
    }

    /// <summary>The subscription with what this actor says about its records (replacing what it said before).</summary>
    public Subscription ApplyTo(Subscription subscription) => subscription with
    {
        Schema = Schema, TitleField = TitleField, Columns = Columns, DescriptionMap = DescriptionMap, Description = Description, Kind = Kind,
    };

    /// <summary>Whether <paramref name="subscription"/> already keeps exactly this.</summary>
    public bool IsKeptBy(Subscription subscription) =>
        subscription.Schema == Schema && subscription.TitleField == TitleField && subscription.Columns.SequenceEqual(Columns, StringComparer.Ordinal)
        && subscription.DescriptionMap == DescriptionMap && subscription.Description == Description && subscription.Kind == Kind;

    private static string? KindOf(JsonElement actor) =>
        AsJson.String(actor, ActivityStreamsContext.Kind) is { Length: <= MaxKindLength } kind && KindPattern().IsMatch(kind) ? kind : null;

    /// <summary>A kind's name as the kinds registry allows it (<c>module.name</c>).</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z][a-z0-9-]*\\.[a-z][a-z0-9.-]*$")]
    private static partial System.Text.RegularExpressions.Regex KindPattern();

    private static string? SchemaOf(JsonElement actor)
    {
        var schema = AsJson.Get(actor, ActivityStreamsContext.Schema);
        if (schema.ValueKind != JsonValueKind.Object || !WithinDepth(schema, MaxSchemaDepth)) return null;
        var text = ActivityStreamsContext.Compact(schema);
        return text.Length <= MaxSchemaLength ? text : null;
    }

    /// <summary>Walks the element without recursion, stopping at the first level deeper than <paramref name="max"/>.</summary>
    private static bool WithinDepth(JsonElement root, int max)
    {
        var pending = new Stack<(JsonElement Element, int Depth)>();
        pending.Push((root, 1));
        var visited = 0;
        while (pending.Count > 0)
        {
            var (element, depth) = pending.Pop();
            if (depth > max || ++visited > MaxSchemaLength) return false;
            if (element.ValueKind == JsonValueKind.Object)
                foreach (var p in element.EnumerateObject()) { if (p.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array) pending.Push((p.Value, depth + 1)); }
            else if (element.ValueKind == JsonValueKind.Array)
                foreach (var item in element.EnumerateArray()) { if (item.ValueKind is JsonValueKind.Object or JsonValueKind.Array) pending.Push((item, depth + 1)); }
        }
        return true;
    }

    private static string? FieldName(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= MaxFieldLength } name && !name.Any(char.IsControl) ? name : null;

    private static List<string> ColumnsOf(JsonElement actor)
    {
        var value = AsJson.Get(actor, ActivityStreamsContext.Columns);
        // JSON-LD may write an ordered list as {"@list": [...]}.
        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("@list", out var list)) value = list;
        if (value.ValueKind != JsonValueKind.Array) return [];
        var columns = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (columns.Count == MaxColumns) break;
            if (FieldName(item) is { } name && !columns.Contains(name, StringComparer.Ordinal)) columns.Add(name);
        }
        return columns;
    }

    private static LocalizedText? DescriptionMapOf(JsonElement actor)
    {
        if (ActorDocuments.LanguageMapOf(actor, "summaryMap") is not { } map) return null;
        var text = new LocalizedText(
            HtmlPlainText.Of(map.Fr, MaxDescriptionLength), HtmlPlainText.Of(map.Nl, MaxDescriptionLength), HtmlPlainText.Of(map.En, MaxDescriptionLength));
        return text is { Fr: null, Nl: null, En: null } ? null : text;
    }
}
