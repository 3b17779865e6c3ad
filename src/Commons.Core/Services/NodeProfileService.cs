using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Nodes;

namespace Commons.Core.Services;

/// <summary>The organisation as its members see it: the node's name and what it is, in fr, nl and en.</summary>
public sealed record NodeProfile(string Name, LocalizedText Description, bool FirstRunHidden);

/// <summary>
/// The node's name and description, and whether the first-run checklist is hidden: every member reads them, only an
/// administrator changes them (API, admin page and CLI alike).
/// </summary>
public sealed class NodeProfileService(INodeStore nodes)
{
    public const int MaxNameLength = 100;
    public const int MaxDescriptionLength = 1000;

    public static bool MayChange(Caller caller) => caller.CanAdminister;

    public static void RequireAdministrator(Caller caller) => DatasetAccess.RequireAdmin(caller);

    /// <summary>What the dashboard shows every signed-in member.</summary>
    public NodeProfile Get() => From(Identity());

    /// <summary>The profile as an administrator edits it (the API's GET).</summary>
    public NodeProfile GetForChange(Caller caller)
    {
        RequireAdministrator(caller);
        return Get();
    }

    /// <summary>Changes what is given: a null name or description is kept; a blank language of the description is cleared.</summary>
    public NodeProfile Change(Caller caller, string? name, LocalizedText? description)
    {
        RequireAdministrator(caller);
        var errors = new List<FieldError>();
        var checkedName = name is null ? null : CheckName(name, "name", errors);
        var checkedDescription = description is null ? null : CheckDescription(description, errors);
        if (errors.Count > 0) throw new ValidationException(errors);
        return From(nodes.Update(n => n with { Name = checkedName ?? n.Name, Description = checkedDescription ?? n.Description }));
    }

    /// <summary>Hides the dashboard's first-run checklist for every member of the node.</summary>
    public NodeProfile HideFirstRun(Caller caller)
    {
        RequireAdministrator(caller);
        return From(nodes.Update(n => n with { FirstRunHidden = true }));
    }

    /// <summary>1 to <see cref="MaxNameLength"/> characters once trimmed.</summary>
    public static string CheckName(string? name, string path)
    {
        var errors = new List<FieldError>();
        var checkedName = CheckName(name, path, errors);
        return errors.Count > 0 ? throw new ValidationException(errors) : checkedName!;
    }

    private static string? CheckName(string? name, string path, List<FieldError> errors)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is > 0 and <= MaxNameLength) return trimmed;
        errors.Add(new FieldError(path, $"a node name has 1 to {MaxNameLength} characters"));
        return null;
    }

    private static LocalizedText CheckDescription(LocalizedText description, List<FieldError> errors)
    {
        string? One(string? text, string language)
        {
            var trimmed = text?.Trim();
            if (trimmed is { Length: > MaxDescriptionLength })
                errors.Add(new FieldError($"description.{language}", $"a description has at most {MaxDescriptionLength} characters"));
            return string.IsNullOrEmpty(trimmed) ? null : trimmed;
        }
        return new LocalizedText(One(description.Fr, "fr"), One(description.Nl, "nl"), One(description.En, "en"));
    }

    private NodeIdentity Identity() => nodes.Get() ?? throw new InvalidOperationException("the node is not initialised");

    private static NodeProfile From(NodeIdentity identity) => new(identity.Name, identity.Description, identity.FirstRunHidden);
}
