using System.Globalization;
using System.Text.RegularExpressions;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Node.Web.Components.Forms;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Datasets;

/// <summary>
/// Turns the posted dataset form into the <see cref="DatasetDraft"/> the API also builds, and the domain's validation
/// errors (their field paths) into localised messages next to the right input. Each setting is checked with the
/// same <see cref="DatasetRules"/> the service applies, one by one, so that every wrong input is named at once; the
/// service checks everything again when it saves.
/// </summary>
public sealed partial class DatasetFormReader(IStringLocalizer<DatasetsText> t)
{
    [GeneratedRegex(@"^(allowedPeers|excludedFields)\[(\d+)\]$")]
    private static partial Regex ListItemPath();

    /// <summary>The draft, or null with <paramref name="errors"/> filled. <paramref name="current"/> is the dataset being edited (null when creating).</summary>
    public DatasetDraft? Read(DatasetForm form, Dataset? current, FormErrors errors)
    {
        var creating = current is null;
        var title = new LocalizedText(Blank(form.TitleFr), Blank(form.TitleNl), Blank(form.TitleEn));
        var description = new LocalizedText(Blank(form.DescriptionFr), Blank(form.DescriptionNl), Blank(form.DescriptionEn));
        var peers = DatasetForm.Lines(form.AllowedPeers);
        var excluded = DatasetForm.Lines(form.ExcludedFields);
        var slug = (form.Slug ?? "").Trim();

        if (creating) Check(errors, form, () => Slugs.Check(slug));
        Check(errors, form, () => DatasetRules.CheckTitle(title));
        Check(errors, form, () => DatasetRules.CheckDescription(description));
        Check(errors, form, () => DatasetRules.CheckLicense(form.Licence));
        Check(errors, form, () => DatasetRules.CheckPeers(peers));
        Check(errors, form, () => DatasetRules.CheckExclusions(excluded));

        SharingPolicy? policy = form.Policy is { } p && Enum.GetNames<SharingPolicy>().Contains(p) ? Enum.Parse<SharingPolicy>(p) : null;
        if (policy is null) errors.Add("policy", t["ErrorPolicy"]);

        // A kind's schema comes with the kind (the one chosen now, or the dataset's own): the form's is not read.
        var kind = current?.Kind ?? (form.HasKind ? form.Kind : null);
        var fixedSchema = kind is not null && kind != Core.Kinds.DatasetKind.Custom;
        var schema = fixedSchema ? null : SchemaText(form, errors);
        if (schema is not null) Check(errors, form, () => DatasetRules.CheckSchema(schema));
        if (errors.Any) return null;

        return new DatasetDraft
        {
            Slug = creating ? slug : null,
            Kind = creating ? kind : null,
            Title = title,
            Description = description,
            // The same text as now means no schema change (no re-check of every record, no new version of the schema).
            Schema = schema is null || (current is not null && SameJson(schema, current.Schema)) ? null : schema,
            License = form.Licence?.Trim() ?? "",
            Policy = policy,
            AllowedPeers = peers,
            ExcludedFields = excluded,
        };
    }

    /// <summary>The schema the form describes: the JSON text, or the builder's rows written as a schema.</summary>
    public string? SchemaText(DatasetForm form, FormErrors errors)
    {
        if (form.IsJsonMode)
        {
            if (string.IsNullOrWhiteSpace(form.SchemaJson)) { errors.Add("schema-json", t["ErrorSchemaMissing"]); return null; }
            return form.SchemaJson;
        }
        var (schema, rowErrors) = SchemaFields.ToSchema(form.Fields);
        foreach (var e in rowErrors) errors.Add($"field-{e.Input}-{e.Row}", t[e.Problem]);
        if (rowErrors.Count > 0) errors.Add("schema", t["ErrorFields"]);
        return schema;
    }

    private void Check(FormErrors errors, DatasetForm form, Action check)
    {
        try { check(); }
        catch (ValidationException e) { Add(errors, e, form); }
    }

    /// <summary>A failure of the domain (validation with its field paths, a taken slug, a stale version…) as messages next to inputs.</summary>
    public void Add(FormErrors errors, CommonsException e, DatasetForm form, bool creating = false)
    {
        switch (e)
        {
            case ValidationException v:
                foreach (var error in v.Errors) AddField(errors, error, form);
                break;
            case ConflictException when creating:
                errors.Add("slug", t["ErrorSlugTaken"]);
                break;
            case PreconditionFailedException stale:
                errors.Add("", t["ErrorStale", stale.CurrentRevision.ToString("N0", CultureInfo.CurrentCulture)]);
                break;
            default:
                errors.Add("", t["ErrorOther", e.Message]);
                break;
        }
    }

    private void AddField(FormErrors errors, FieldError error, DatasetForm form)
    {
        var path = error.Path;
        if (ListItemPath().Match(path) is { Success: true } m)
        {
            var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            var peers = m.Groups[1].Value == "allowedPeers";
            var lines = DatasetForm.Lines(peers ? form.AllowedPeers : form.ExcludedFields);
            var line = (index + 1).ToString(CultureInfo.CurrentCulture);
            var value = index < lines.Count ? lines[index] : "";
            errors.Add(peers ? "allowed-peers" : "excluded-fields", t[peers ? "ErrorPeer" : "ErrorExcluded", line, value]);
            return;
        }
        switch (path)
        {
            case "slug":
                errors.Add("slug", Slugs.Reserved.Contains((form.Slug ?? "").Trim()) ? t["ErrorSlugReserved"] : t["ErrorSlug"]);
                return;
            case "title":
                errors.Add("title", t["ErrorTitle"]);
                return;
            case "kind":
                errors.Add("kind", t["ErrorKind", form.Kind ?? ""]);
                return;
            case "title.fr" or "title.nl" or "title.en":
                errors.Add("title-" + path[6..], t["ErrorTooLong", 200.ToString("N0", CultureInfo.CurrentCulture)]);
                return;
            case "description.fr" or "description.nl" or "description.en":
                errors.Add("description-" + path[12..], t["ErrorTooLong", 10_000.ToString("N0", CultureInfo.CurrentCulture)]);
                return;
            case "license":
                errors.Add("licence", t["ErrorLicence"]);
                return;
            case "username":
                errors.Add("grant-username", t["ErrorNoMember"]);
                return;
        }
        if (path == "schema" || path.StartsWith("schema.", StringComparison.Ordinal) || path.StartsWith("schema[", StringComparison.Ordinal))
        {
            errors.Add(form.IsJsonMode ? "schema-json" : "schema", t["ErrorSchema", $"{error.Path}: {error.Message}"]);
            return;
        }
        errors.Add("", t["ErrorOther", $"{error.Path}: {error.Message}"]);
    }

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static bool SameJson(string a, string b)
    {
        try { return System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(a), System.Text.Json.Nodes.JsonNode.Parse(b)); }
        catch (System.Text.Json.JsonException) { return false; }
    }
}
