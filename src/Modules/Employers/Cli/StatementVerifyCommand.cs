using System.CommandLine;
using Commons.Modules.Employers.Statements;

namespace Commons.Modules.Employers.Cli;

/// <summary>
/// <c>commons-node employers statement verify FILE [--key PEM]</c>: the platform's statement check
/// (<see cref="Platform.Statements.StatementVerifyCommand"/>) for the employers' group's statements only.
/// </summary>
public static class StatementVerifyCommand
{
    public static Command Build(Func<TextWriter> output, Func<string, string> resolve) =>
        Platform.Statements.StatementVerifyCommand.Build(output, resolve, [StatementXml.Form]);
}
