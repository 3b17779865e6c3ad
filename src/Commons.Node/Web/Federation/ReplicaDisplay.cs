using System.Globalization;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;

namespace Commons.Node.Web.Federation;

/// <summary>
/// How a followed dataset's records are shown here: as its origin shows them. The title field and the columns are the
/// origin's (<c>commons:titleField</c>, <c>commons:columns</c>), else what <see cref="RecordDisplay"/> makes of the schema
/// kept with the subscription, else the fields found in the records listed, in first-seen order (an origin that publishes
/// neither). Labels come from the kept schema in the page's language.
/// </summary>
public sealed class ReplicaDisplay
{
    /// <summary>The most columns taken from the records themselves, when the origin says nothing.</summary>
    public const int MaxFoundColumns = 12;

    private readonly RecordDisplay _schema;

    private ReplicaDisplay(RecordDisplay schema, string? titleField, IReadOnlyList<string> columns) =>
        (_schema, TitleField, Columns) = (schema, titleField, columns);

    public string? TitleField { get; }
    public IReadOnlyList<string> Columns { get; }

    public static ReplicaDisplay Of(Subscription subscription, IEnumerable<JsonElement> rows)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var schema = RecordDisplay.Of(subscription.Schema, subscription.TitleField, subscription.Columns);
        var title = subscription.TitleField ?? schema.TitleField;
        IReadOnlyList<string> columns;
        if (subscription.Columns.Count > 0) columns = subscription.Columns.Where(c => c != title).ToList();
        else if (schema.Fields.Count > 0) columns = schema.Columns.Where(c => c != title).ToList();
        else columns = FieldsFound(rows).Where(c => c != title).Take(MaxFoundColumns).ToList();
        return new ReplicaDisplay(schema, title, columns);
    }

    /// <summary>The record's title: its title field's text, trimmed; null when it has none (show a fallback).</summary>
    public string? TitleOf(JsonElement data) =>
        TitleField is not null && data.ValueKind == JsonValueKind.Object && data.TryGetProperty(TitleField, out var v)
        && v.ValueKind == JsonValueKind.String && v.GetString() is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    /// <summary>What names a replicated record: its title, else the name its origin gave it (unless that is only its id).</summary>
    public string? NameOf(ReplicaRecord record) =>
        TitleOf(record.Data) ?? (string.IsNullOrWhiteSpace(record.Name) || record.Name == record.RecordId ? null : record.Name.Trim());

    /// <summary>The field's label in the page's language (the kept schema's <c>x-titles</c> or <c>title</c>), else its key.</summary>
    public string Label(string field) => _schema.Label(field, CultureInfo.CurrentUICulture.TwoLetterISOLanguageName);

    /// <summary>Every field of one record, in the order of the schema (then the record's own order for the others).</summary>
    public IReadOnlyList<string> FieldsOf(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object) return [];
        var present = data.EnumerateObject().Select(p => p.Name).Distinct(StringComparer.Ordinal).ToList();
        var ordered = _schema.Fields.Where(present.Contains).ToList();
        if (TitleField is not null && ordered.Remove(TitleField)) ordered.Insert(0, TitleField);
        return [.. ordered, .. present.Where(f => !ordered.Contains(f))];
    }

    /// <summary>A short stand-in for a record id in a fallback name ("Untitled · 01jnf3x8…").</summary>
    public static string ShortId(string id) => id.Length <= 10 ? id : id[..8] + "…";

    private static IEnumerable<string> FieldsFound(IEnumerable<JsonElement> rows) =>
        rows.Where(r => r.ValueKind == JsonValueKind.Object).SelectMany(r => r.EnumerateObject().Select(p => p.Name)).Distinct(StringComparer.Ordinal);
}
