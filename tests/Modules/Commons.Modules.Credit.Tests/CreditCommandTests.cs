using Commons.Modules.Credit.Kinds;
using Commons.Modules.Credit.Services;
using Commons.Modules.Credit.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Credit.Tests.Support.CreditNode;

namespace Commons.Modules.Credit.Tests;

/// <summary><c>commons-node credit balance|audit</c>: the operator's view of this node's ledger, through the same service as the API.</summary>
public sealed class CreditCommandTests : IDisposable
{
    private readonly CreditPair _net = new();
    private readonly StringWriter _out = new();

    public void Dispose() => _net.Dispose();

    private int Run(CreditNode node, params string[] args)
    {
        var services = new ServiceCollection().AddSingleton(node.Credit!).AddSingleton(node.Ledgers!).AddSingleton(node.GroupAudit!).BuildServiceProvider();
        var command = new CreditModule().BuildCommand(() => new ModuleCommandContext(services, _out, Admin))!;
        return command.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = _out, Error = new StringWriter() });
    }

    [Fact]
    public async Task Balance_lists_the_ledger_with_its_account_and_amounts_as_text()
    {
        await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "12.50", null, null, default);
        Assert.Equal(0, Run(_net.NodeA, "balance"));
        var lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("LEDGER", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("ledger", StringComparison.Ordinal) && l.Contains("-12.50") && l.Contains(A) && l.Contains(" 1 "));
    }

    [Fact]
    public async Task Audit_passes_on_a_sound_ledger_and_names_an_altered_standing_with_its_code()
    {
        await _net.NodeA.Credit!.PayAsync(Admin, "ledger", B, "5", null, null, default);
        Assert.Equal(0, Run(_net.NodeA, "audit"));
        Assert.Contains("audit passed: 1 ledger(s)", _out.ToString());

        _out.GetStringBuilder().Clear();
        _net.NodeA.ModuleStore.Write(CreditBook.Module, d =>
        {
            var book = new CreditBook(d);
            book.PutAccount("ledger", book.Account("ledger") with { Balance = -4m });
            return 0;
        });
        Assert.Equal(1, Run(_net.NodeA, "audit"));
        Assert.Contains(_out.ToString().Split('\n'), l => l.StartsWith("ledger: ", StringComparison.Ordinal) && l.EndsWith("[balance_mismatch]", StringComparison.Ordinal));
    }
}
