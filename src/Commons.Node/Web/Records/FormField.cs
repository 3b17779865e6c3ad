using System.Text.Json;

namespace Commons.Node.Web.Records;

/// <summary>How one property of a record is edited in the browser.</summary>
public enum FieldKind { Text, TextArea, Integer, Number, Checkbox, Select, Date, Email, Url, Json }

/// <summary>One choice of an enum: what the form posts, what the person reads, and the JSON value it stands for.</summary>
public sealed record FieldOption(string FormValue, JsonElement Value);

/// <summary>
/// One top-level property of a dataset's schema as a form field. <see cref="Name"/> is the property name (the JSON path
/// below the record); <see cref="InputName"/> is what the form posts it as, <see cref="InputId"/> the element's id.
/// </summary>
public sealed record FormField(string Name, string InputId, FieldKind Kind, bool Required, string? Title, string? Description,
    IReadOnlyList<FieldOption> Options, int? MaxLength)
{
    public const string InputPrefix = "data.";

    public string InputName => InputPrefix + Name;
    public string ErrorId => "error-" + InputId["field-".Length..];
    public string HintId => "hint-" + InputId["field-".Length..];
    public string Label => Title is { Length: > 0 } t ? t : Name;
}
