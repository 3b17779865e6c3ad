using System.Globalization;
using System.Text.RegularExpressions;
using Commons.Core.Errors;
using Commons.Node.Web.Resources;
using Microsoft.Extensions.Localization;

namespace Commons.Node.Web.Records;

/// <summary>
/// Places the errors of a refused record next to the inputs they are about and says them in the page's language.
/// <c>RecordService</c> names each failing place as a JSON path (<c>$.seats</c>, <c>$.address.city</c>, <c>$['a b']</c>) with
/// the schema validator's English message; the message's wording tells which rule failed, and that rule is put in words here.
/// </summary>
public static partial class RecordErrorText
{
    /// <summary>The record id input of the new-record form (the API's <c>id</c> field).</summary>
    public const string IdInput = "record-id";

    /// <summary>Adds each error under the id of its input, or to <paramref name="general"/> when no input holds that place.</summary>
    public static void Place(ValidationException e, SchemaForm form, IStringLocalizer<RecordsText> t, IDictionary<string, string> byInput, IList<string> general)
    {
        foreach (var error in e.Errors)
        {
            if (error.Path == "id")
            {
                Add(byInput, IdInput, t["BadId"]);
                continue;
            }
            var (property, rest) = FirstSegment(error.Path);
            var text = Explain(error.Message, t);
            var field = property is null ? null : form.Fields.FirstOrDefault(f => f.Name == property);
            if (field is not null)
                Add(byInput, field.InputId, rest.Length > 0 ? t["AtPlace", rest.TrimStart('.'), text] : text);
            else if (property is not null && form.AllowsOtherProperties)
                Add(byInput, RecordFormInput.OtherId, t["AtPlace", property + rest, text]);
            else
                general.Add(property is null ? text : t["AtPlace", property + rest, text]);
        }
    }

    private static void Add(IDictionary<string, string> byInput, string id, string text) =>
        byInput[id] = byInput.TryGetValue(id, out var before) ? before + " " + text : text;

    /// <summary>Splits <c>$.a.b</c> into <c>a</c> and <c>.b</c>; <c>$['x y'][2]</c> into <c>x y</c> and <c>[2]</c>; <c>$</c> has none.</summary>
    public static (string? Property, string Tail) FirstSegment(string path)
    {
        if (!path.StartsWith('$') || path.Length == 1) return (null, "");
        if (path[1] == '.')
        {
            var end = path.IndexOfAny(['.', '['], 2);
            return end < 0 ? (path[2..], "") : (path[2..end], path[end..]);
        }
        if (path.StartsWith("$['", StringComparison.Ordinal))
        {
            var name = new System.Text.StringBuilder();
            for (var i = 3; i < path.Length; i++)
            {
                if (path[i] == '\\' && i + 1 < path.Length) { name.Append(path[++i]); continue; }
                if (path[i] == '\'' && i + 1 < path.Length && path[i + 1] == ']') return (name.ToString(), path[(i + 2)..]);
                name.Append(path[i]);
            }
        }
        return (null, "");
    }

    /// <summary>The validator's message as a sentence in the page's language; an unknown one is kept as it is.</summary>
    public static string Explain(string message, IStringLocalizer<RecordsText> t)
    {
        if (message == "is required" || Required().IsMatch(message)) return t["Required"];
        if (message.Contains("specified by the enum", StringComparison.Ordinal)) return t["NotInList"];
        if (message.Contains("false schema", StringComparison.Ordinal)) return t["NotAllowed"];
        if (message.Contains("regular expression", StringComparison.Ordinal)) return t["Pattern"];
        if (message.StartsWith("Found duplicates", StringComparison.Ordinal)) return t["Duplicates"];
        if (WrongType().Match(message) is { Success: true } wt)
        {
            var type = t["Type_" + wt.Groups[1].Value];
            return t["WrongType", type.ResourceNotFound ? wt.Groups[1].Value : type.Value];
        }
        if (Format().Match(message) is { Success: true } fm)
            return t["Format_" + fm.Groups[1].Value] is { ResourceNotFound: false } known ? known : t["BadFormat", fm.Groups[1].Value];
        if (Length().Match(message) is { Success: true } ln) return t[ln.Groups[1].Value == "most" ? "MaxLength" : "MinLength", Number(ln.Groups[2].Value)];
        if (Items().Match(message) is { Success: true } it) return t[it.Groups[1].Value == "most" ? "MaxItems" : "MinItems", Number(it.Groups[2].Value)];
        if (Limit().Match(message) is { Success: true } lm)
        {
            var key = lm.Groups[1].Value switch { "at most" => "Maximum", "at least" => "Minimum", "less than" => "LessThan", "greater than" => "GreaterThan", _ => "MultipleOf" };
            return t[key, Number(lm.Groups[2].Value)];
        }
        if (Expected().Match(message) is { Success: true } ex) return t["Expected", ex.Groups[1].Value];
        return t["Invalid", message];
    }

    private static string Number(string invariant) =>
        decimal.TryParse(invariant, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d.ToString(CultureInfo.CurrentCulture) : invariant;

    [GeneratedRegex("^Required properties .* are not present$")]
    private static partial Regex Required();
    [GeneratedRegex("^Value is \"?\\w+\"? but should be \"?(\\w+)\"?")]
    private static partial Regex WrongType();
    [GeneratedRegex("^Value does not match format \"?([\\w-]+)\"?")]
    private static partial Regex Format();
    [GeneratedRegex("^Value should be at (most|least) ([0-9]+) characters")]
    private static partial Regex Length();
    [GeneratedRegex("^Value should have at (most|least) ([0-9]+) items")]
    private static partial Regex Items();
    [GeneratedRegex("should be (at most|at least|less than|greater than|a multiple of) (-?[0-9.eE+-]+)$")]
    private static partial Regex Limit();
    [GeneratedRegex("^Expected (.+)$")]
    private static partial Regex Expected();
}
