using System.Text.Json;
using System.Text.RegularExpressions;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Modules.Employers.Kinds;
using Commons.Modules.Employers.Services;

namespace Commons.Modules.Employers.Views;

/// <summary>
/// <c>{group settings dataset actor}/views/statement?month=YYYY-MM</c>: the fetching member's own statement of a closed
/// month, XML signed by the group node's key, with the actor that signed it (whose published RSA key the member checks
/// it against). <c>…/views/summary?month=</c>: the group's summary, for members. Anyone not listed among the group's
/// members, a month not closed, or a member without a statement that month: 404. A member never gets another's statement.
/// </summary>
public sealed partial class StatementView(EmployersService group, IObjectProofs actors, bool summary) : IDatasetView
{
    public const string MemberView = "statement";
    public const string SummaryView = "summary";

    [GeneratedRegex("^[0-9]{4}-(0[1-9]|1[0-2])$")]
    private static partial Regex MonthPattern();

    public string Kind => GroupKind.KindName;
    public string Name => summary ? SummaryView : MemberView;

    public JsonElement? Build(DatasetViewRequest request)
    {
        if (request.FetcherActor is not { } fetcher) return null;
        if (!request.Query.TryGetValue("month", out var month) || !MonthPattern().IsMatch(month)) return null;
        if (group.Group() is not { } settings || settings.Dataset != request.Dataset.Slug || !settings.HasMember(fetcher)) return null;
        if (group.SignedStatement(month, summary ? null : fetcher) is not { } xml) return null;
        return JsonSerializer.SerializeToElement(new { month, kind = summary ? "summary" : "member", signer = actors.ActorOf(null), xml });
    }
}
