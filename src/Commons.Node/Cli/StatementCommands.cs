using System.CommandLine;
using Commons.Modules.Credit.Statements;
using Commons.Modules.Employers.Statements;
using Commons.Platform.Statements;

namespace Commons.Node.Cli;

/// <summary>
/// <c>commons-node statement verify FILE [--key PEM]</c>: the check of any signed statement a module of this node issues
/// (the employers' group's, mutual credit's month statements), at the node's top level as the issues name it; the
/// valid line says which kind it is. Checking a file needs no module switched on and no store.
/// </summary>
public static class StatementCommands
{
    public static readonly IReadOnlyList<StatementForm> Forms = [StatementXml.Form, CreditStatementXml.Form];

    public static Command Build(Func<CliContext> context)
    {
        var verify = StatementVerifyCommand.Build(() => context().Out, path => context().ResolvePath(path), Forms);
        return new Command("statement", "Signed statements (the employers' group's and mutual credit's XMLDSig statements).") { verify };
    }
}
