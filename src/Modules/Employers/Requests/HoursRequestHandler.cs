using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Core.Modules;
using Commons.Core.Services;
using Commons.Modules.Employers.Kinds;

namespace Commons.Modules.Employers.Requests;

/// <summary>
/// <c>employers.hours</c>, sent by a member node to the group's hours dataset actor: the hours one worker worked for
/// the asking member in a month. Only a member organisation of the group may send them (<c>not_a_member</c>); the
/// member is the requester itself, never a field of the body. The write's rules decide the rest
/// (<c>worker_not_assigned</c>, <c>month_closed</c>, <c>hours_over_contract</c>): refused, nothing is stored.
/// Entering a month's hours again replaces them. Body: <c>{"worker", "month", "hours"}</c>; result: the same with
/// the record id as <c>"record"</c>.
/// </summary>
public sealed class HoursRequestHandler(RecordService records, IModuleStore modules) : IRequestHandler
{
    public const string Type = "employers.hours";

    public string Kind => HoursKind.KindName;
    public string RequestType => Type;

    public Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct)
    {
        var (group, held) = modules.Read(GroupIndex.Module, d =>
        {
            var index = new GroupIndex(d);
            var body = request.Body;
            return (index.GroupSettings(), Text(body, "worker") is { } w && Text(body, "month") is { } m ? index.HoursOf(m, w, request.RequesterActor) : null);
        });
        if (group is null || !group.HasMember(request.RequesterActor))
            return Task.FromResult(RequestDecision.Refuse(EmployersCodes.NotAMember, $"{request.RequesterActor} is not a member organisation of the group"));

        var data = JsonSerializer.SerializeToElement(new Dictionary<string, string?>
        {
            ["worker"] = Text(request.Body, "worker"), ["member"] = request.RequesterActor,
            ["month"] = Text(request.Body, "month"), ["hours"] = Text(request.Body, "hours"),
        }.Where(p => p.Value is not null).ToDictionary());
        var (record, _) = held is not null && held.Dataset == request.Dataset.Slug
            ? records.UpdateDecided(request.Dataset, request.RequesterActor, held.Id, data, null)
            : records.CreateDecided(request.Dataset, request.RequesterActor, null, data);
        var result = JsonSerializer.SerializeToElement(new Dictionary<string, string>
        {
            ["record"] = record.Id, ["worker"] = record.Data.GetProperty("worker").GetString()!,
            ["month"] = record.Data.GetProperty("month").GetString()!, ["hours"] = record.Data.GetProperty("hours").GetString()!,
        });
        return Task.FromResult(RequestDecision.Accept(result));
    }

    private static string? Text(JsonElement body, string field) =>
        body.ValueKind == JsonValueKind.Object && body.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
