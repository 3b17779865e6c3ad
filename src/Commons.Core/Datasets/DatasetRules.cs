using System.Text.RegularExpressions;
using Commons.Core.Errors;
using Commons.Core.Schemas;

namespace Commons.Core.Datasets;

/// <summary>Checks of dataset settings that do not need the store.</summary>
public static partial class DatasetRules
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9.+-]{0,63}$")]
    private static partial Regex SpdxId();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?$")]
    private static partial Regex PeerHost();

    [GeneratedRegex(@"^[^.\s]+(\.[^.\s]+)*$")]
    private static partial Regex FieldPath();

    public static LocalizedText CheckTitle(LocalizedText? title)
    {
        if (title is null || title.IsBlank()) throw ValidationException.For("title", "a title in at least one of fr, nl, en");
        CheckLength(title, "title", 200);
        return title;
    }

    public static LocalizedText CheckDescription(LocalizedText? description)
    {
        var d = description ?? LocalizedText.Empty;
        CheckLength(d, "description", 10_000);
        return d;
    }

    private static void CheckLength(LocalizedText text, string field, int max)
    {
        foreach (var (lang, value) in new[] { ("fr", text.Fr), ("nl", text.Nl), ("en", text.En) })
            if (value is { Length: var n } && n > max) throw ValidationException.For($"{field}.{lang}", $"at most {max} characters");
    }

    public static string? CheckLicense(string? license)
    {
        if (string.IsNullOrWhiteSpace(license)) return null;
        license = license.Trim();
        if (SpdxId().IsMatch(license)) return license;
        if (Uri.TryCreate(license, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http") return uri.ToString();
        throw ValidationException.For("license", "an SPDX licence id (such as CC-BY-4.0) or an http(s) URL");
    }

    public static IReadOnlyList<string> CheckPeers(IReadOnlyList<string>? peers)
    {
        var list = new List<string>();
        for (var i = 0; i < (peers?.Count ?? 0); i++)
        {
            var p = peers![i].Trim().ToLowerInvariant();
            if (Uri.TryCreate(p, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http") p = uri.Authority;
            if (!PeerHost().IsMatch(p)) throw ValidationException.For($"allowedPeers[{i}]", "a peer is a host name with an optional port, such as commons.example.org");
            if (!list.Contains(p)) list.Add(p);
        }
        return list;
    }

    public static IReadOnlyList<string> CheckExclusions(IReadOnlyList<string>? fields)
    {
        var list = new List<string>();
        for (var i = 0; i < (fields?.Count ?? 0); i++)
        {
            var f = fields![i].Trim();
            if (f.StartsWith("$.", StringComparison.Ordinal)) f = f[2..];
            if (f.Length == 0 || f.Length > 200 || !FieldPath().IsMatch(f))
                throw ValidationException.For($"excludedFields[{i}]", "a field path such as email or contact.phone");
            if (!list.Contains(f)) list.Add(f);
        }
        return list;
    }

    /// <summary>
    /// The field that names each record: a top-level text property of <paramref name="schema"/>; blank clears the choice.
    /// </summary>
    public static string? CheckTitleField(string? field, string schema)
    {
        if (string.IsNullOrWhiteSpace(field)) return null;
        var display = RecordDisplay.Of(schema, field);
        if (display.TitleField != field)
            throw ValidationException.For("titleField", $"'{Shorten(field)}' is not a text field of the records (a top-level string property of the schema)");
        return field;
    }

    /// <summary>Table columns: top-level properties of <paramref name="schema"/>, each once, at most 50.</summary>
    public static IReadOnlyList<string> CheckColumns(IReadOnlyList<string>? columns, string schema)
    {
        if (columns is null || columns.Count == 0) return [];
        if (columns.Count > 50) throw ValidationException.For("columns", "at most 50 columns");
        var display = RecordDisplay.Of(schema);
        var list = new List<string>();
        for (var i = 0; i < columns.Count; i++)
        {
            var c = columns[i];
            if (!display.Has(c)) throw ValidationException.For($"columns[{i}]", $"'{Shorten(c)}' is not a field of the records (a top-level property of the schema)");
            if (list.Contains(c)) throw ValidationException.For($"columns[{i}]", $"'{Shorten(c)}' is listed twice");
            list.Add(c);
        }
        return list;
    }

    private static string Shorten(string s) => s.Length > 60 ? s[..60] + "…" : s;

    public static string CheckSchema(string? schema)
    {
        if (string.IsNullOrWhiteSpace(schema)) throw ValidationException.For("schema", "a JSON Schema (2020-12) for the records");
        RecordSchema.Compile(schema, "schema");
        return schema;
    }

    /// <summary>
    /// Does going from <paramref name="before"/> to <paramref name="after"/> change what peers may receive (policy,
    /// allow-list or exclusions)? Such a change enters the dataset's feed, and federation reassesses its followers.
    /// </summary>
    public static bool SharingChanged(Dataset before, Dataset after) =>
        after.Policy != before.Policy
        || !after.AllowedPeers.SequenceEqual(before.AllowedPeers)
        || !after.ExcludedFields.SequenceEqual(before.ExcludedFields);

    /// <summary>
    /// Does the dataset's public profile change (title, description, licence, schema: what its actor document shows
    /// besides the policy)? Such a change enters the feed too, so followers receive the new actor (an Update).
    /// </summary>
    public static bool ProfileChanged(Dataset before, Dataset after) =>
        after.Title != before.Title
        || after.Description != before.Description
        || !string.Equals(after.License, before.License, StringComparison.Ordinal)
        || !string.Equals(after.Schema, before.Schema, StringComparison.Ordinal);

    /// <summary>The schema a dataset gets when none is given: any object.</summary>
    public const string OpenSchema = """{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}""";
}
