using Commons.Modules.Credit.Kinds;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests.Support;

/// <summary>
/// Three member nodes of group "sel", each on its own real store: A coordinates (the group's record is on A) and B and
/// C joined it with the terms A publishes. Each keeps its account in its dataset "ledger".
/// </summary>
public sealed class CreditPair : IDisposable
{
    public const string LedgerA = "https://a.example/datasets/ledger", LedgerB = "https://b.example/datasets/ledger", LedgerC = "https://c.example/datasets/ledger";

    public const string Terms = """
        {"unit":{"name":{"fr":"Zinne","en":"Zinne"},"symbol":"ŧ","precision":2},
         "members":[{"actor":"https://a.example/actor","ledger":"https://a.example/datasets/ledger"},
                    {"actor":"https://b.example/actor","ledger":"https://b.example/datasets/ledger"},
                    {"actor":"https://c.example/actor","ledger":"https://c.example/datasets/ledger","lowest":"-50","highest":"50"}],
         "lowest":"-100","highest":"100"}
        """;

    public LoopbackNetwork Network { get; } = new();
    public CreditNode NodeA { get; }
    public CreditNode NodeB { get; }
    public CreditNode NodeC { get; }

    public CreditPair()
    {
        NodeA = new CreditNode().OnNetwork(Network, A, LedgerA);
        NodeB = new CreditNode().OnNetwork(Network, B, LedgerB);
        NodeC = new CreditNode().OnNetwork(Network, C, LedgerC);
        NodeA.CreateDataset("groups", GroupKind.KindName);
        NodeA.Records.Create(Admin, "groups", "sel", Doc(Terms));
        foreach (var (node, actor) in new[] { (NodeA, A), (NodeB, B), (NodeC, C) })
        {
            node.CreateDataset("ledger", LedgerKind.KindName);
            node.Credit!.Join(Admin, "ledger", "sel", node == NodeA ? null : Doc(Terms), actor);
        }
    }

    public void Dispose()
    {
        NodeA.Dispose();
        NodeB.Dispose();
        NodeC.Dispose();
    }
}
