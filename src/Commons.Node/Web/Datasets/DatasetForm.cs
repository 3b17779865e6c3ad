using Commons.Core.Datasets;
using Commons.Core.Kinds;

namespace Commons.Node.Web.Datasets;

/// <summary>The dataset form as the browser posts it (create and edit): text as typed, lists one item a line.</summary>
public sealed class DatasetForm
{
    public const string BuilderMode = "builder";
    public const string JsonMode = "json";
    /// <summary>Empty builder rows shown below the fields, and added by the "add rows" button.</summary>
    public const int SpareRows = 3;

    public string? Slug { get; set; }
    /// <summary><see cref="DatasetKind.Custom"/> or a module's kind; chosen when creating, fixed after.</summary>
    public string? Kind { get; set; }
    public string? TitleFr { get; set; }
    public string? TitleNl { get; set; }
    public string? TitleEn { get; set; }
    public string? DescriptionFr { get; set; }
    public string? DescriptionNl { get; set; }
    public string? DescriptionEn { get; set; }
    public string? Licence { get; set; }
    public string? Policy { get; set; }
    public string? AllowedPeers { get; set; }
    public string? ExcludedFields { get; set; }
    /// <summary><see cref="BuilderMode"/> or <see cref="JsonMode"/>: how the schema is edited.</summary>
    public string? Mode { get; set; }
    public List<SchemaFieldRow> Fields { get; set; } = [];
    public string? SchemaJson { get; set; }
    /// <summary>The button pressed: save, add-rows, to-json, to-builder, confirm.</summary>
    public string? Action { get; set; }
    /// <summary>The dataset's version the form was opened at (edit only).</summary>
    public long Version { get; set; }
    /// <summary>The followers a steward saw in the policy-change preview and confirmed (actor URIs).</summary>
    public List<string> Confirmed { get; set; } = [];

    public bool IsJsonMode => Mode == JsonMode;

    /// <summary>The language of the page: the member's labels are read and written in it.</summary>
    public static string MemberLanguage =>
        System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName is "fr" or "nl" ? System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName : "en";

    /// <summary>A module's kind is chosen: its schema, not the form's, is the dataset's.</summary>
    public bool HasKind => Kind is { Length: > 0 } k && k != DatasetKind.Custom;

    /// <summary>The kind's defaults in the form (the "use this kind" button): sharing and exclusions a steward may still change.</summary>
    public void UseKind(DatasetKind kind)
    {
        Policy = kind.DefaultPolicy.ToString();
        ExcludedFields = string.Join("\n", kind.DefaultExcludedFields);
    }

    public static IReadOnlyList<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A fresh form: private, the open schema in the builder with a few empty rows.</summary>
    public static DatasetForm Blank() => new()
    {
        Kind = DatasetKind.Custom,
        Policy = nameof(SharingPolicy.Private),
        Mode = BuilderMode,
        Fields = Enumerable.Range(0, SpareRows).Select(_ => new SchemaFieldRow()).ToList(),
    };

    /// <summary>The form for an existing dataset; the schema in the builder when it is simple enough, else as JSON.</summary>
    public static DatasetForm Of(Dataset d)
    {
        var rows = SchemaFields.FromSchema(d.Schema, MemberLanguage);
        var form = new DatasetForm
        {
            Slug = d.Slug,
            Kind = d.Kind,
            TitleFr = d.Title.Fr, TitleNl = d.Title.Nl, TitleEn = d.Title.En,
            DescriptionFr = d.Description.Fr, DescriptionNl = d.Description.Nl, DescriptionEn = d.Description.En,
            Licence = d.License,
            Policy = d.Policy.ToString(),
            AllowedPeers = string.Join("\n", d.AllowedPeers),
            ExcludedFields = string.Join("\n", d.ExcludedFields),
            Mode = rows is null ? JsonMode : BuilderMode,
            SchemaJson = SchemaActions.Pretty(d.Schema),
            Version = d.Version,
        };
        if (rows is not null) form.Fields = [.. rows, .. Enumerable.Range(0, SpareRows).Select(_ => new SchemaFieldRow())];
        return form;
    }

    /// <summary>After binding a post: lists the browser left out are empty, and the builder always offers an empty row.</summary>
    public DatasetForm Normalized()
    {
        Fields ??= [];
        Confirmed ??= [];
        for (var i = 0; i < Fields.Count; i++) Fields[i] ??= new SchemaFieldRow();
        if (!IsJsonMode && Fields.All(r => !r.IsBlank)) AddSpareRows();
        return this;
    }

    public void AddSpareRows()
    {
        for (var i = 0; i < SpareRows; i++) Fields.Add(new SchemaFieldRow());
    }
}
