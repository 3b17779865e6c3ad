using System.CommandLine;
using Commons.Core.Errors;
using Commons.Platform;

namespace Commons.Node.Cli;

/// <summary>
/// <c>commons-node modules list|enable NAME|disable NAME</c>, and each module's own command (<c>commons-node {name} …</c>),
/// which runs only while its module is on.
/// </summary>
internal static class ModuleCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var modules = new Command("modules", "The modules built into this node, turned on or off (their data is kept either way).");
        var list = new Command("list", "List the modules, whether each is on, and their kinds of dataset.");
        list.SetAction(p =>
        {
            var c = context();
            c.Out.WriteLine($"{"NAME",-16} {"STATE",-5} {"KINDS",-40} TITLE");
            foreach (var s in c.Get<ModuleAdministration>().List(CliContext.Operator))
                c.Out.WriteLine($"{s.Module.Name,-16} {(s.On ? "on" : "off"),-5} {string.Join(',', s.Kinds.Select(k => $"{k.Name}.v{k.SchemaVersion}")),-40} {s.Module.Title.In("en")}");
            return 0;
        });
        modules.Add(list);
        modules.Add(Switch(context, "enable", "Turn a module on: its pages, API, commands and kinds answer from the next request.", true));
        modules.Add(Switch(context, "disable", "Turn a module off: its pages and API answer 404 and its kinds cannot be chosen; its data is kept.", false));
        return modules;
    }

    private static Command Switch(Func<CliContext> context, string word, string description, bool on)
    {
        var name = new Argument<string>("name") { Description = "The module's name (see 'modules list')." };
        var command = new Command(word, description) { name };
        command.SetAction(p =>
        {
            var c = context();
            var status = c.Get<ModuleAdministration>().Set(CliContext.Operator, p.GetValue(name)!, on);
            c.Out.WriteLine($"module {status.Module.Name} is {(status.On ? "on" : "off")}");
            return 0;
        });
        return command;
    }

    /// <summary>Each module's command, running against the node's services as its operator; its name is the module's.</summary>
    public static IEnumerable<Command> OfModules(IReadOnlyList<ICommonsModule> modules, Func<CliContext> context)
    {
        foreach (var module in modules)
        {
            var command = module.BuildCommand(() =>
            {
                var c = context();
                return new ModuleCommandContext(c.Services, c.Out, CliContext.Operator);
            });
            if (command is null) continue;
            if (command.Name != module.Name)
                throw new InvalidOperationException($"the command of module '{module.Name}' is named '{command.Name}'; it must be the module's name");
            yield return command;
        }
    }

    /// <summary>The module whose command the parsed line runs, if that module is off: its name, for the one-line refusal.</summary>
    public static string? OffModuleOf(ParseResult parse, IReadOnlyList<ICommonsModule> modules, CliContext context)
    {
        var top = parse.CommandResult;
        while (top.Parent is System.CommandLine.Parsing.CommandResult { Command: not RootCommand } parent) top = parent;
        // A node-level alias of a module's command runs only while that module is on, as the command does.
        var name = top.Command.Name == "decision" ? DecisionCommands.Module : top.Command.Name;
        var module = modules.FirstOrDefault(m => m.Name == name);
        if (module is null) return null;
        var switches = context.Services.GetService(typeof(Core.Modules.IModuleSwitches)) as Core.Modules.IModuleSwitches;
        return switches?.IsOn(module.Name) == true ? null : module.Name;
    }

    public static string OffLine(string module) =>
        $"error: the module '{module}' is off on this node; 'commons-node modules enable {module}' turns it on [{ProblemCodes.ModuleOff}]";
}
