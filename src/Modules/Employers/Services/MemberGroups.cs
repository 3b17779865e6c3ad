using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Access;
using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Core.Modules;
using Commons.Modules.Employers.Kinds;
using Commons.Modules.Employers.Requests;
using Commons.Modules.Employers.Statements;
using Commons.Modules.Employers.Views;

namespace Commons.Modules.Employers.Services;

/// <summary>
/// The member's side of a group, on a member organisation's own node: the groups it follows (accepted subscriptions to a
/// group's settings dataset), what the group tells it (its <c>membership</c> view), the hours it sends (requests
/// <c>employers.hours</c> through the gateway; the group node decides, and each answer's state and code are read from the
/// exchange), and its statements, fetched from the group node and checked against the RSA key that node publishes on
/// its actor — origin, not only integrity. The group node decides everything; this node keeps the last answers it had,
/// to show while the group node cannot be reached.
/// </summary>
public sealed partial class MemberGroups(
    ISubscriptionStore subscriptions, IRemoteDatasetViews views, IExchangeGateway exchanges, IRemoteActorKeys keys, IModuleStore modules, TimeProvider clock)
{
    private const string KnownViews = "member-views";
    private const string KeptStatements = "member-statements";
    private const int MostHours = 1000;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [GeneratedRegex("^[0-9]{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex MonthPattern();

    [GeneratedRegex("^(0|[1-9][0-9]{0,2})(\\.[0-9]{1,2})?$")]
    private static partial Regex HoursPattern();

    public IReadOnlyList<MemberGroup> Groups(Caller caller)
    {
        RequireRead(caller);
        return subscriptions.List()
            .Where(s => s.Kind == GroupKind.KindName && s.State == SubscriptionState.Accepted)
            .Select(s => new MemberGroup(s.Id, s.DatasetActor, s.Name ?? s.Handle ?? s.DatasetActor))
            .OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
    }

    public MemberGroup Group(Caller caller, string subscription) =>
        Groups(caller).FirstOrDefault(g => g.Subscription == subscription) ?? throw new NotFoundException($"this node follows no group '{subscription}'");

    /// <summary>The group's <c>membership</c> view for this node, fresh (and kept) when the group node answers, else the last one kept.</summary>
    public async Task<Membership> MembershipAsync(Caller caller, string subscription, CancellationToken ct)
    {
        var group = Group(caller, subscription);
        var key = Exchange.RefOf(group.DatasetActor);
        try
        {
            var view = await views.FetchAsync(group.DatasetActor, MembershipView.ViewName, new Dictionary<string, string>(), ct);
            var at = clock.GetUtcNow();
            modules.Write(GroupIndex.Module, d => { d.Put(KnownViews, key, JsonSerializer.SerializeToElement(new { at, view })); return 0; });
            return Read(subscription, view, at, fresh: true);
        }
        catch (NotFoundException e)
        {
            throw new ForbiddenException($"the group at {group.DatasetActor} does not count this node among its members: {e.Detail}", EmployersCodes.NotAMember);
        }
        catch (CommonsException e) when (e.Code == ProblemCodes.OriginUnreachable)
        {
            var kept = modules.Read(GroupIndex.Module, d => d.Get(KnownViews, key));
            if (kept is not { } doc) throw;
            return Read(subscription, doc.GetProperty("view"), doc.GetProperty("at").GetDateTimeOffset(), fresh: false);
        }
    }

    /// <summary>Sends the hours one worker worked for this organisation in a month to the group node; pending until it answers.</summary>
    public async Task<SentHours> SendHoursAsync(Caller caller, string subscription, HoursEntry entry, CancellationToken ct)
    {
        DatasetAccess.RequireWrite(caller);
        if (string.IsNullOrWhiteSpace(entry.Worker) || entry.Worker.Length > 128) throw ValidationException.For("worker", "the worker's id in the group, 1 to 128 characters");
        RequireMonth(entry.Month);
        if (entry.Hours is null || !HoursPattern().IsMatch(entry.Hours)) throw ValidationException.For("hours", "hours as a decimal with at most two decimals: \"72.50\"");
        var membership = await MembershipAsync(caller, subscription, ct);
        var target = membership.HoursActor ?? throw new ConflictException("the group node keeps no hours dataset to send hours to", EmployersCodes.NoGroup);
        var body = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["worker"] = entry.Worker, ["month"] = entry.Month, ["hours"] = entry.Hours });
        var sent = await exchanges.SendAsync(caller, target, HoursRequestHandler.Type, body, ct);
        return ToSent(subscription, sent);
    }

    /// <summary>The hours this node sent to the group, newest first, each with the group's answer; a month's when named. No network.</summary>
    public IReadOnlyList<SentHours> Hours(Caller caller, string subscription, string? month)
    {
        var group = Group(caller, subscription);
        if (month is not null) RequireMonth(month);
        var host = Authority(group.DatasetActor);
        return exchanges.Outgoing(HoursRequestHandler.Type, null, MostHours)
            .Where(e => Authority(e.TargetActor) == host)
            .Select(e => ToSent(subscription, e))
            .Where(h => month is null || h.Month == month).ToList();
    }

    /// <summary>One sent hours' state, by its exchange's ref.</summary>
    public SentHours SentHours(Caller caller, string subscription, string reference) =>
        Hours(caller, subscription, null).FirstOrDefault(h => h.Ref == reference) ?? throw new NotFoundException($"no hours sent as '{reference}'");

    /// <summary>
    /// This member's statement of a closed month (or the group's summary), fetched from the group node and checked with
    /// the RSA keys the group node's actor publishes. A statement that does not check is returned with its code, never
    /// kept; a checked one is kept and served again while the group node cannot be reached.
    /// </summary>
    public async Task<CheckedStatement> StatementAsync(Caller caller, string subscription, string month, bool summary, CancellationToken ct)
    {
        var group = Group(caller, subscription);
        RequireMonth(month);
        var kind = summary ? StatementView.SummaryView : StatementView.MemberView;
        var key = $"{Exchange.RefOf(group.DatasetActor)}|{kind}|{month}";
        JsonElement view;
        try
        {
            view = await views.FetchAsync(group.DatasetActor, kind, new Dictionary<string, string> { ["month"] = month }, ct);
        }
        catch (NotFoundException)
        {
            throw new NotFoundException($"the group has no {kind} of {month} for this node (the month may not be closed)", EmployersCodes.NoStatement);
        }
        catch (CommonsException e) when (e.Code == ProblemCodes.OriginUnreachable)
        {
            if (modules.Read(GroupIndex.Module, d => d.Get(KeptStatements, key)) is not { } kept) throw;
            return kept.Deserialize<CheckedStatement>(Json)! with { Xml = kept.GetProperty("xml").GetString()! };
        }
        var signer = Text(view, "signer") ?? "";
        var xml = Text(view, "xml") ?? throw new OriginUnreachableException($"{Authority(group.DatasetActor)} sent a {kind} without its XML");
        var check = Authority(signer) is { } signerHost && signerHost == Authority(group.DatasetActor)
            ? StatementSignature.VerifyFrom(xml, await keys.RsaPublicPemsAsync(signer, ct))
            : new StatementCheck(false, StatementSignature.ForeignKey, $"the signer {signer} is not on the group's node", null);
        var statement = new CheckedStatement(month, summary ? "summary" : "member", check.Valid, check.Code, check.Detail, signer, check.KeyFingerprint,
            check.Valid ? StatementXml.TotalOf(xml) : null) { Xml = xml };
        if (statement.Valid)
            modules.Write(GroupIndex.Module, d =>
            {
                var doc = JsonSerializer.SerializeToNode(statement, Json)!.AsObject();
                doc["xml"] = xml;
                d.Put(KeptStatements, key, JsonSerializer.SerializeToElement(doc));
                return 0;
            });
        return statement;
    }

    private static Membership Read(string subscription, JsonElement view, DateTimeOffset at, bool fresh) => new(
        subscription, Text(view, "group") ?? "", Text(view, "recognition"), Text(view, "member") ?? "", Text(view, "memberName") ?? "",
        Text(view, "hours"), Text(view, "signer") ?? "",
        view.TryGetProperty("workers", out var workers) && workers.ValueKind == JsonValueKind.Array
            ? workers.EnumerateArray().Select(w => new AssignedWorker(Text(w, "id") ?? "", Text(w, "name") ?? "", Text(w, "role") ?? "",
                Number(w, "contractHoursPerWeek"), Number(w, "plannedShare"), Text(w, "start"), Text(w, "end"))).ToList()
            : [],
        view.TryGetProperty("closed", out var closed) && closed.ValueKind == JsonValueKind.Array
            ? closed.EnumerateArray().Where(m => m.ValueKind == JsonValueKind.String).Select(m => m.GetString()!).ToList()
            : [],
        at, fresh);

    private static SentHours ToSent(string subscription, Exchange e) => new(
        e.Ref, subscription, Text(e.Body, "worker") ?? "", Text(e.Body, "month") ?? "", Text(e.Body, "hours") ?? "",
        e.State.ToString().ToLowerInvariant(), e.State == ExchangeState.Refused ? e.Code : null, e.Detail, e.RequestedBy, e.CreatedAt, e.AnsweredAt);

    private static void RequireRead(Caller caller)
    {
        if (!caller.CanRead) throw new ForbiddenException("this token has no read scope");
    }

    private static void RequireMonth(string? month)
    {
        if (month is null || !MonthPattern().IsMatch(month)) throw ValidationException.For("month", "a month is YYYY-MM");
    }

    private static string? Authority(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Authority}".ToLowerInvariant() : null;

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal Number(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDecimal()
        : e.TryGetProperty(name, out var s) && s.ValueKind == JsonValueKind.String && decimal.TryParse(s.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : 0m;
}
