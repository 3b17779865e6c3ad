using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Modules.Employers.Kinds;

namespace Commons.Modules.Employers.Views;

/// <summary>
/// <c>{group settings dataset actor}/views/membership</c>: what a member node needs to take part, told to that member
/// only (the verified fetcher must be listed among the group's members; anyone else gets 404): the group's name and
/// recognition, the member's own name, the actor of the dataset its hours go to, the actor that signs the statements,
/// the workers assigned to it (never another member's assignments) and the closed months.
/// </summary>
public sealed class MembershipView(IModuleStore modules, IDatasetStore datasets, IObjectProofs actors) : IDatasetView
{
    public const string ViewName = "membership";

    public string Kind => GroupKind.KindName;
    public string Name => ViewName;

    public JsonElement? Build(DatasetViewRequest request)
    {
        if (request.FetcherActor is not { } fetcher) return null;
        var found = modules.Read(GroupIndex.Module, data =>
        {
            var index = new GroupIndex(data);
            if (index.GroupSettings() is not { } group || group.Dataset != request.Dataset.Slug || !group.HasMember(fetcher)) return null;
            var workers = index.AllWorkers()
                .Select(w => (Worker: w, Assignment: index.Assignment(w.Id, fetcher)))
                .Where(x => x.Assignment is not null)
                .Select(x => new
                {
                    id = x.Worker.Id, name = x.Worker.Name, role = x.Worker.Role,
                    contractHoursPerWeek = x.Worker.HoursPerWeek, plannedShare = x.Assignment!.PlannedShare,
                    start = x.Worker.Start, end = x.Worker.End,
                })
                .ToList();
            return new { group, workers, closed = index.AllClosed().Select(c => c.Month).ToList() };
        });
        if (found is null) return null;
        var hours = datasets.List().Where(d => d.Kind == HoursKind.KindName).OrderBy(d => d.Slug, StringComparer.Ordinal).FirstOrDefault();
        return JsonSerializer.SerializeToElement(new
        {
            group = found.group.Name,
            recognition = found.group.Recognition,
            member = fetcher,
            memberName = found.group.Members.First(m => m.Actor == fetcher).Name,
            hours = hours is null ? null : actors.ActorOf(hours.Slug),
            signer = actors.ActorOf(null),
            found.workers,
            found.closed,
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
    }
}
