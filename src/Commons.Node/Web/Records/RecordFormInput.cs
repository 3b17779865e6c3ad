using System.Globalization;
using System.Text;
using System.Text.Json;
using Commons.Core.Errors;
using Commons.Core.Json;
using Commons.Node.Web.Resources;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Records;

/// <summary>
/// What a person typed into a record form, kept as typed (to show again), and the record body it makes.
/// Turning text into JSON is the form's only job here: an empty input leaves its property out, numbers are read in the
/// page's culture ("3,5" in French and Dutch) as well as with a point, a JSON area must hold JSON. Whether the body
/// meets the schema is decided afterwards by <c>RecordService</c>, exactly as for the API.
/// </summary>
public sealed class RecordFormInput
{
    /// <summary>The input holding properties the schema does not list (or the whole record under an open schema).</summary>
    public const string OtherId = "record-other";
    public const string OtherName = "other";
    public const string SharedName = "shared";

    /// <summary>Typed values by input id.</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);
    /// <summary>Localised messages by input id; the record was not built when there is any.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public bool Shared { get; set; } = true;
    public JsonElement? Data { get; private set; }

    public string this[string inputId] => Values.TryGetValue(inputId, out var v) ? v : "";

    /// <summary>Reads a posted form: keeps every value, builds the body when every input could be read.</summary>
    public static RecordFormInput Read(SchemaForm form, IFormCollection posted, CultureInfo culture, IStringLocalizer<RecordsText> t)
    {
        var input = new RecordFormInput { Shared = posted[SharedName].ToString() == "true" };
        foreach (var f in form.Fields) input.Values[f.InputId] = posted[f.InputName].ToString();
        input.Values[OtherId] = posted[OtherName].ToString();

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var f in form.Fields) input.Write(writer, f, culture, t);
            if (form.AllowsOtherProperties) input.WriteOther(writer, form, t);
            writer.WriteEndObject();
        }
        if (input.Errors.Count == 0)
        {
            using var doc = JsonDocument.Parse(buffer.ToArray());
            input.Data = doc.RootElement.Clone();
        }
        return input;
    }

    /// <summary>The form filled with a stored record's data.</summary>
    public static RecordFormInput FromRecord(SchemaForm form, JsonElement data, bool shared)
    {
        var input = new RecordFormInput { Shared = shared };
        var listed = form.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var f in form.Fields)
            input.Values[f.InputId] = data.ValueKind == JsonValueKind.Object && data.TryGetProperty(f.Name, out var v) ? Display(f, v) : "";
        var others = data.ValueKind == JsonValueKind.Object ? data.EnumerateObject().Where(p => !listed.Contains(p.Name)).ToList() : [];
        input.Values[OtherId] = others.Count == 0 ? "" : JsonSerializer.Serialize(others.ToDictionary(p => p.Name, p => p.Value), Indented);
        return input;
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Display(FormField f, JsonElement v) => f.Kind switch
    {
        FieldKind.Checkbox => v.ValueKind == JsonValueKind.True ? "true" : "",
        FieldKind.Select => SchemaForm.FormValueOf(v),
        FieldKind.Json => JsonSerializer.Serialize(v, Indented),
        _ when v.ValueKind == JsonValueKind.String => v.GetString()!,
        _ when v.ValueKind == JsonValueKind.Null => "",
        _ => v.GetRawText(),
    };

    private void Write(Utf8JsonWriter w, FormField f, CultureInfo culture, IStringLocalizer<RecordsText> t)
    {
        var raw = this[f.InputId];
        if (f.Kind == FieldKind.Checkbox)
        {
            w.WriteBoolean(f.Name, raw == "true");
            return;
        }
        if (string.IsNullOrWhiteSpace(raw)) return; // left empty: the property is absent (the schema says whether it may be)
        switch (f.Kind)
        {
            case FieldKind.Integer:
                if (FormNumbers.TryRead(raw, culture, out var whole) && whole == decimal.Truncate(whole) && whole is >= long.MinValue and <= long.MaxValue)
                    w.WriteNumber(f.Name, (long)whole);
                else Errors[f.InputId] = t["NotAWholeNumber"];
                break;
            case FieldKind.Number:
                if (FormNumbers.TryRead(raw, culture, out var number)) w.WriteNumber(f.Name, number);
                else Errors[f.InputId] = t["NotANumber", 3.5m.ToString(culture)];
                break;
            case FieldKind.Select:
                var option = f.Options.FirstOrDefault(o => o.FormValue == raw);
                w.WritePropertyName(f.Name);
                if (option is not null) option.Value.WriteTo(w);
                else w.WriteStringValue(raw); // not one of the choices: the schema's enum refuses it, with the field's path
                break;
            case FieldKind.Json:
                if (ParseJson(raw, f.InputId, t) is { } json)
                {
                    w.WritePropertyName(f.Name);
                    json.WriteTo(w);
                }
                break;
            case FieldKind.TextArea:
                w.WriteString(f.Name, raw.ReplaceLineEndings("\n"));
                break;
            case FieldKind.Date or FieldKind.Email or FieldKind.Url:
                w.WriteString(f.Name, raw.Trim());
                break;
            default:
                w.WriteString(f.Name, raw);
                break;
        }
    }

    private void WriteOther(Utf8JsonWriter w, SchemaForm form, IStringLocalizer<RecordsText> t)
    {
        var raw = this[OtherId];
        if (string.IsNullOrWhiteSpace(raw)) return;
        if (ParseJson(raw, OtherId, t) is not { } json) return;
        if (json.ValueKind != JsonValueKind.Object)
        {
            Errors[OtherId] = t["OtherNotAnObject"];
            return;
        }
        var listed = form.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var p in json.EnumerateObject())
        {
            if (listed.Contains(p.Name))
            {
                Errors[OtherId] = t["OtherRepeatsAField", p.Name];
                return;
            }
            p.WriteTo(w);
        }
    }

    private JsonElement? ParseJson(string raw, string inputId, IStringLocalizer<RecordsText> t)
    {
        JsonElement value;
        try
        {
            using var doc = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = 32 });
            value = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            Errors[inputId] = t["NotJson", ((e.LineNumber ?? 0) + 1).ToString(CultureInfo.CurrentCulture), ((e.BytePositionInLine ?? 0) + 1).ToString(CultureInfo.CurrentCulture)];
            return null;
        }
        // The API's rules for a body hold here too: a name given twice (the later value would silently win) or a lone
        // surrogate escape is refused at this input, where the person sees which, not later by the store in other words.
        using var strict = StrictJson.TryParse(Encoding.UTF8.GetBytes(raw), 32, out var error);
        if (error is null) return value;
        Errors[inputId] = t[error.Code == ProblemCodes.DuplicateKey ? "JsonDuplicateKey" : "JsonInvalidText", error.Path ?? "$"];
        return null;
    }
}
