namespace Commons.Node.Web.Datasets;

/// <summary>One row of the field builder, as the browser posts it: a field as a member describes it.</summary>
public sealed class SchemaFieldRow
{
    /// <summary>The field's key in the records (the JSON property). Left blank, it is derived from the label (<see cref="FieldKeys"/>).</summary>
    public string? Name { get; set; }
    public string? LabelFr { get; set; }
    public string? LabelNl { get; set; }
    public string? LabelEn { get; set; }
    /// <summary>Help shown under the field's input on record forms.</summary>
    public string? Description { get; set; }
    public string? Type { get; set; }
    public bool Required { get; set; }
    /// <summary>For a list of choices: the options, separated by commas.</summary>
    public string? Options { get; set; }
    /// <summary>The least value (numbers) or number of characters (texts), as typed.</summary>
    public string? Min { get; set; }
    /// <summary>The greatest value (numbers) or number of characters (texts), as typed.</summary>
    public string? Max { get; set; }

    public string? Label(string language) => language switch { "fr" => LabelFr, "nl" => LabelNl, _ => LabelEn };

    public void SetLabel(string language, string? label)
    {
        switch (language)
        {
            case "fr": LabelFr = label; break;
            case "nl": LabelNl = label; break;
            default: LabelEn = label; break;
        }
    }

    /// <summary>A row with nothing typed in it is left out of the schema.</summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(Name) && Languages.All(l => string.IsNullOrWhiteSpace(Label(l)));

    public static readonly IReadOnlyList<string> Languages = ["fr", "nl", "en"];
}

/// <summary>A problem with one builder row: which row, which of its inputs, and what (a key of the area's strings).</summary>
public sealed record SchemaRowError(int Row, string Input, string Problem);
