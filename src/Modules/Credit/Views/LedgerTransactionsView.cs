using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Exchanges;
using Commons.Core.Records;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Signatures;

namespace Commons.Modules.Credit.Views;

/// <summary>
/// <c>{ledger dataset actor}/views/transactions?after=CURSOR</c>: the ledger's transactions with their two signed
/// activities, <see cref="PageSize"/> a page, for the group audit (which needs both sides of each). The same admission
/// as the statement: a node of the group, once the ledger's policy admits the fetch. Body:
/// <c>{"items":[{"transaction":{…credit.ledger record…},"request":"…signed JSON…","answer":"…"}],"next":CURSOR|null}</c>;
/// the activities are JSON text as signed, so their proofs check byte for byte.
/// </summary>
public sealed class LedgerTransactionsView(CreditLedgers ledgers, IRecordStore records, TransactionSignatures signatures) : IDatasetView
{
    public const string ViewName = "transactions";
    public const int PageSize = 50;

    public string Kind => LedgerKind.KindName;
    public string Name => ViewName;

    public JsonElement? Build(DatasetViewRequest request)
    {
        var slug = request.Dataset.Slug;
        if (GroupMembers.Admit(ledgers, slug, request.FetcherActor) is null) return null;
        var page = records.Query(request.Dataset.Key, new RecordQuery { Limit = PageSize, Cursor = request.Query.GetValueOrDefault("after") });
        var items = new JsonArray();
        foreach (var record in page.Items.Where(r => !r.Deleted))
        {
            var t = CreditTransaction.Of(record.Data);
            var pair = signatures.PairOf(slug, t, keep: false);
            items.Add(new JsonObject
            {
                ["transaction"] = JsonNode.Parse(record.Data.GetRawText()), ["request"] = pair.Request, ["answer"] = pair.Answer,
            });
        }
        return JsonSerializer.SerializeToElement(new JsonObject { ["items"] = items, ["next"] = page.NextCursor });
    }
}
