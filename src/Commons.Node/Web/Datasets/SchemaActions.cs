using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Node.Web.Components.Forms;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Datasets;

/// <summary>The schema buttons of the dataset form that change the form, not the dataset: add rows, JSON view, builder view.</summary>
public static class SchemaActions
{
    /// <summary>
    /// Indented, with accents and &lt; &gt; &amp; as themselves (<c>prêt</c>, not <c>pr\u00EAt</c>): the text only ever goes
    /// into a textarea or a pre, where Razor encodes it as HTML. Never for a script or an attribute.
    /// </summary>
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Applies the pressed button if it is one of these; true when it was (nothing is to be saved then).</summary>
    public static bool Apply(DatasetForm form, FormErrors errors, DatasetFormReader reader, IStringLocalizer<DatasetsText> t)
    {
        switch (form.Action)
        {
            case "add-rows":
                form.AddSpareRows();
                return true;
            case "to-json":
                if (reader.SchemaText(form, errors) is { } schema)
                {
                    form.SchemaJson = Pretty(schema);
                    form.Mode = DatasetForm.JsonMode;
                }
                return true;
            case "to-builder":
                if (SchemaFields.FromSchema(form.SchemaJson, DatasetForm.MemberLanguage) is { } rows)
                {
                    form.Fields = rows;
                    form.AddSpareRows();
                    form.Mode = DatasetForm.BuilderMode;
                }
                else
                {
                    errors.Add("schema-json", t["SchemaTooRich"]);
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>JSON text indented for reading; text that is not JSON is left as it is.</summary>
    public static string Pretty(string json)
    {
        try { return JsonNode.Parse(json)?.ToJsonString(Indented) ?? json; }
        catch (JsonException) { return json; }
    }
}
