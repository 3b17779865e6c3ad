using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Requests;
using Commons.Modules.Credit.Audit;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Signatures;
using Commons.Modules.Credit.Views;
using Commons.Core.Exchanges;
using Commons.Storage;
using Commons.Storage.Federation;

namespace Commons.Modules.Credit.Tests.Support;

/// <summary>
/// The credit module over a real LiteDB store in a temporary folder, wired as the node wires it. One node may keep
/// several ledgers, each bound to another member's account: the group's members side by side, for the rules' tests.
/// </summary>
public sealed class CreditNode : IDisposable
{
    public const TokenScopes AllScopes = TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin;
    public static readonly Caller Admin = new("root", MemberRole.Admin, AllScopes);
    public static readonly DateTimeOffset Start = new(2026, 3, 20, 9, 0, 0, TimeSpan.Zero);
    public const string A = "https://a.example/actor", B = "https://b.example/actor", C = "https://c.example/actor";
    public const string Outsider = "https://z.example/actor";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "commons-tests", Guid.NewGuid().ToString("N"));

    public SetClock Clock { get; } = new(Start);
    public CommonsDatabase Database { get; }
    public LiteDatasetStore DatasetStore { get; }
    public LiteRecordStore RecordStore { get; }
    public LiteModuleStore ModuleStore { get; }
    public LiteFollowerStore Followers { get; }
    public DatasetService Datasets { get; }
    public RecordService Records { get; }

    public LoopbackGateway? Gateway { get; private set; }
    public CreditLedgers? Ledgers { get; private set; }
    public CreditSettlement? Settlement { get; private set; }
    public CreditService? Credit { get; private set; }
    public TestProofs? Proofs { get; private set; }
    public TransactionSignatures? Signatures { get; private set; }
    public CreditHistory? History { get; private set; }
    public CreditGroupAudit? GroupAudit { get; private set; }
    /// <summary>The ledger views this node publishes (statement, transactions), built as the node would serve them.</summary>
    public IReadOnlyList<IDatasetView>? Views { get; private set; }

    /// <summary>This node as member <paramref name="actor"/> of the network: its ledger "ledger" reachable at <paramref name="ledgerActor"/>.</summary>
    public CreditNode OnNetwork(LoopbackNetwork network, string actor, string ledgerActor)
    {
        Gateway = new LoopbackGateway(network, actor, Clock);
        Ledgers = new CreditLedgers(DatasetStore, RecordStore, Records, ModuleStore);
        Settlement = new CreditSettlement(Ledgers, Gateway, Clock);
        Credit = new CreditService(Ledgers, Datasets, Records, Gateway, Settlement, Clock);
        Proofs = new TestProofs(network.Keys, actor);
        Signatures = new TransactionSignatures(Ledgers, Gateway, Proofs);
        History = new CreditHistory(Ledgers, Datasets, Settlement, Signatures);
        GroupAudit = new CreditGroupAudit(Ledgers, Datasets, Settlement, new LoopbackViews(network, actor, Clock), Proofs, Signatures);
        Views = [new LedgerStatementView(Ledgers, Settlement, Proofs), new LedgerTransactionsView(Ledgers, RecordStore, Signatures)];
        network.Ledgers[ledgerActor] = (this, "ledger", [new PayRequestHandler(Ledgers, Signatures), new BillRequestHandler(Ledgers, Signatures)]);
        return this;
    }

    public CreditNode()
    {
        Directory.CreateDirectory(_folder);
        Database = CommonsDatabase.Open(Path.Combine(_folder, "data"));
        var kinds = new DatasetKindRegistry(new CreditModule().Kinds);
        DatasetStore = new LiteDatasetStore(Database);
        RecordStore = new LiteRecordStore(Database);
        ModuleStore = new LiteModuleStore(Database);
        Followers = new LiteFollowerStore(Database);
        var members = new LiteMemberStore(Database);
        Datasets = new DatasetService(DatasetStore, RecordStore, members, Clock, kinds: kinds);
        Records = new RecordService(Datasets, RecordStore, new LiteChangeFeed(Database), new Core.Records.RecordLimits(), Clock, kinds: kinds);
    }

    public Dataset CreateDataset(string slug, string kind) =>
        Datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Kind = kind });

    /// <summary>Group "sel" (unit ŧ, 2 decimals, limits −100…100, C's −50…50) of A, B and C, and a ledger per member ("ledger-a" …).</summary>
    public CreditNode WithGroup(string groupJson = Group)
    {
        CreateDataset("groups", GroupKind.KindName);
        Records.Create(Admin, "groups", "sel", Doc(groupJson));
        foreach (var (slug, actor) in MemberLedgers) Join(slug, actor);
        return this;
    }

    public static readonly (string Slug, string Actor)[] MemberLedgers = [("ledger-a", A), ("ledger-b", B), ("ledger-c", C)];

    public void Join(string slug, string actor)
    {
        CreateDataset(slug, LedgerKind.KindName);
        ModuleStore.Write(CreditBook.Module, d => { new CreditBook(d).Bind(slug, new LedgerBinding("sel", actor)); return 0; });
    }

    public const string Group = """
        {"unit":{"name":{"fr":"Zinne","en":"Zinne"},"symbol":"ŧ","precision":2},
         "members":[{"actor":"https://a.example/actor","ledger":"https://a.example/datasets/ledger-a"},
                    {"actor":"https://b.example/actor","ledger":"https://b.example/datasets/ledger-b"},
                    {"actor":"https://c.example/actor","ledger":"https://c.example/datasets/ledger-c","lowest":"-50","highest":"50"}],
         "lowest":"-100","highest":"100","transferTimeoutMinutes":60,"euroValue":"1.00"}
        """;

    public AccountState Account(string ledger) => ModuleStore.Read(CreditBook.Module, d => new CreditBook(d).Account(ledger));

    public static CreditTransaction Tx(string id, string payer, string payee, string amount, string state = TransactionStates.Pending, string? nonce = null) => new()
    {
        Id = id, Payer = payer, Payee = payee, Amount = amount, Unit = "ŧ", Memo = "bread", Nonce = nonce ?? $"nonce-{id}",
        Time = "2026-03-20T10:00:00+01:00", State = state,
    };

    /// <summary>Writes the transaction into the ledger; a completed one is first linked to the ledger's head.</summary>
    public CreditTransaction Write(string ledger, CreditTransaction t)
    {
        if (t.State == TransactionStates.Completed) t = t.CompletedAfter(Account(ledger).Head);
        var existing = RecordStore.Get(DatasetStore.Find(ledger)!.Key, t.Id);
        if (existing is null || existing.Deleted) Records.Create(Admin, ledger, t.Id, t.ToJson());
        else Records.Update(Admin, ledger, t.Id, t.ToJson(), null, null);
        return t;
    }

    public int Count(string ledger) => (int)RecordStore.Count(DatasetStore.Find(ledger)!.Key);

    public static JsonElement Doc(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public void Dispose()
    {
        Database.Dispose();
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
