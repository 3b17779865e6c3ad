using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Modules;
using Commons.Core.Services;
using Commons.Federation.Following;
using Commons.Platform;

namespace Commons.Node.Web.FirstRun;

/// <summary>One step as the checklist shows it: what to do (a resource key for the node's own steps, else the module's text), where, and whether it is done.</summary>
public sealed record ChecklistStep(string Id, string? TextKey, LocalizedText? ModuleText, string Path, bool Done);

/// <summary>The checklist for one member: the steps they can take, whether it shows at all, and whether they may hide it.</summary>
public sealed record Checklist(IReadOnlyList<ChecklistStep> Steps, bool Hidden, bool MayHide)
{
    public bool Shown => !Hidden && Steps.Any(s => !s.Done);
    public int DoneCount => Steps.Count(s => s.Done);
}

/// <summary>
/// The dashboard's first-run checklist, asked of the node's services for the signed-in member: the node's four steps
/// (describe the organisation, a first dataset, a first dataset followed, a first invitation), then the steps of the
/// modules that are on. A member sees only the steps they may take: describing and inviting are the administrators'.
/// </summary>
public sealed class FirstRunList(
    IServiceProvider services, NodeProfileService profiles, IDatasetStore datasets, SubscriptionService subscriptions,
    IMemberStore members, IInvitationStore invitations, ModuleCatalog catalog, IModuleSwitches switches)
{
    public const string Describe = "describe";
    public const string FirstDataset = "dataset";
    public const string FirstFollow = "follow";
    public const string FirstInvite = "invite";

    public Checklist For(Caller caller)
    {
        var profile = profiles.Get();
        var steps = new List<ChecklistStep>();
        var administrator = NodeProfileService.MayChange(caller);
        if (administrator)
            steps.Add(Node(Describe, "StepDescribe", "/admin/organisation", !profile.Description.IsBlank()));
        if (caller.CanWrite)
        {
            steps.Add(Node(FirstDataset, "StepDataset", "/datasets/new", datasets.List().Any(d => d.Kind == DatasetKind.Custom)));
            steps.Add(Node(FirstFollow, "StepFollow", "/subscriptions", subscriptions.List(caller).Count > 0));
        }
        if (administrator)
            steps.Add(Node(FirstInvite, "StepInvite", "/members#invite-heading", members.Count() > 1 || invitations.List().Count > 0));
        foreach (var module in catalog.Modules.Where(m => switches.IsOn(m.Name)))
            foreach (var step in module.FirstRunSteps)
                steps.Add(new ChecklistStep($"{module.Name}-{step.Id}", null, step.Label, step.Path, step.IsDone(services, caller)));
        return new Checklist(steps, profile.FirstRunHidden, administrator);
    }

    private static ChecklistStep Node(string id, string textKey, string path, bool done) => new(id, textKey, null, path, done);
}
