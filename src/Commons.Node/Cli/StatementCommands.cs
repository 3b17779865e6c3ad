using System.CommandLine;
using Commons.Modules.Employers.Cli;

namespace Commons.Node.Cli;

/// <summary>
/// <c>commons-node statement verify FILE [--key PEM]</c>: the employers' group's statement check at the node's top level,
/// as the issue names it; the same command as <c>commons-node employers statement verify</c>. Checking a file needs no
/// module switched on and no store.
/// </summary>
public static class StatementCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var verify = StatementVerifyCommand.Build(() => context().Out, path => context().ResolvePath(path));
        return new Command("statement", "Signed statements (the employers' group's XMLDSig statements).") { verify };
    }
}
