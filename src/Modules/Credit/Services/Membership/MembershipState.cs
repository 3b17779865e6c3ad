using System.Text.Json;
using Commons.Core.Modules;
using Commons.Modules.Credit.Kinds;

namespace Commons.Modules.Credit.Services.Membership;

/// <summary>
/// What this node did for one joined ledger's group: where the group is defined (the coordinating node's group dataset
/// actor; null when it is defined here), the account, the hosts it added to the ledger's allow-list and the member
/// ledgers it follows (so a member that leaves the group is dropped from both and nothing else is touched), and how the
/// last pass went.
/// </summary>
public sealed record MembershipState(string Ledger, string Group, string? GroupDataset, string Account, IReadOnlyList<string> SharedHosts,
    IReadOnlyList<string> Followed, DateTimeOffset? CheckedAt, string? Problem, string? ProblemDetail)
{
    public const string NotListed = "not_listed";
}

/// <summary>The memberships in the credit module's own documents, one per joined ledger (collection <c>membership</c>).</summary>
public sealed class MembershipBook(IModuleData data)
{
    private const string Collection = "membership";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public MembershipState? Find(string ledger) => data.Get(Collection, ledger) is { } d ? d.Deserialize<MembershipState>(Json) : null;

    public void Put(MembershipState state) => data.Put(Collection, state.Ledger, JsonSerializer.SerializeToElement(state, Json));

    public void Forget(string ledger) => data.Delete(Collection, ledger);

    public IReadOnlyList<MembershipState> All() =>
        data.Range(Collection, null, null, 10_000).Select(d => d.Value.Deserialize<MembershipState>(Json)!).ToList();

    public static T Read<T>(IModuleStore modules, Func<MembershipBook, T> read) => modules.Read(CreditBook.Module, d => read(new MembershipBook(d)));

    public static void Write(IModuleStore modules, Action<MembershipBook> write) => modules.Write(CreditBook.Module, d =>
    {
        write(new MembershipBook(d));
        return 0;
    });
}
