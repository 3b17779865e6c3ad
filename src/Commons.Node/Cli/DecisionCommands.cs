using System.CommandLine;
using Commons.Modules.Committee.Cli;
using Commons.Platform;

namespace Commons.Node.Cli;

/// <summary>
/// <c>commons-node decision verify ID</c>: the steering committee's recount at the node's top level, as the issue names
/// it; the same command as <c>commons-node committee verify ID</c>, and like it it runs only while the committee module
/// is on (<see cref="ModuleCommands.OffModuleOf"/>).
/// </summary>
public static class DecisionCommands
{
    /// <summary>The module whose command this alias runs.</summary>
    public const string Module = "committee";

    public static Command Build(Func<CliContext> context)
    {
        var verify = DecisionVerifyCommand.Build(() =>
        {
            var c = context();
            return new ModuleCommandContext(c.Services, c.Out, CliContext.Operator);
        });
        return new Command("decision", "Steering committee decisions: recount one held on this node.") { verify };
    }
}
