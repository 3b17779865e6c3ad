using System.Text.Json;
using Commons.Core.Exchanges;
using Commons.Core.Federation;
using Commons.Modules.Credit.Audit;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;

namespace Commons.Modules.Credit.Views;

/// <summary>
/// <c>{ledger dataset actor}/views/statement</c>: the ledger's balance statement (<see cref="StatementDocument"/>) signed
/// now by the ledger's actor, for the group audit. Only a node of the ledger's group (the verified fetcher is a
/// member's actor) gets it, and only once the ledger's policy admits the fetch (peers or followers: the steward names
/// the group's nodes); anyone else gets 404. Answers that arrived meanwhile are settled first, so the statement and the
/// transactions fetched after it show the ledger as its peers already see it.
/// </summary>
public sealed class LedgerStatementView(CreditLedgers ledgers, CreditSettlement settlement, IObjectProofs proofs) : IDatasetView
{
    public const string ViewName = "statement";

    public string Kind => LedgerKind.KindName;
    public string Name => ViewName;

    public JsonElement? Build(DatasetViewRequest request)
    {
        var slug = request.Dataset.Slug;
        if (GroupMembers.Admit(ledgers, slug, request.FetcherActor) is not var (binding, group)) return null;
        settlement.SettleAll();
        var account = ledgers.Account(slug);
        return proofs.Sign(slug, StatementDocument.Of(binding.Group, proofs.ActorOf(slug), binding.Account, group.Symbol, account, request.Now));
    }
}

/// <summary>Who a ledger's views admit: a node of the ledger's group, nobody else (not even a node the policy admits).</summary>
internal static class GroupMembers
{
    public static (LedgerBinding Binding, GroupTerms Group)? Admit(CreditLedgers ledgers, string ledger, string? fetcher) =>
        fetcher is null ? null
        : ledgers.Read(b => b.Binding(ledger) is { } binding && b.Group(binding.Group) is { } group && group.Member(fetcher) is not null
            ? ((LedgerBinding, GroupTerms)?)(binding, group) : null);
}
