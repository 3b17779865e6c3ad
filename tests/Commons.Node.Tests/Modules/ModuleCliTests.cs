using Commons.Node.Cli;
using Commons.Node.Tests.Support;

namespace Commons.Node.Tests.Modules;

/// <summary><c>commons-node modules …</c> and a module's own command, run as the running node runs them (its admin socket's side).</summary>
public sealed class ModuleCliTests(ProbeNode node) : IClassFixture<ProbeNode>
{
    private (int Code, string Out, string Error) Run(params string[] args)
    {
        _ = node.Address;
        var output = new StringWriter();
        var error = new StringWriter();
        var code = CliApp.Execute(args, new CliContext(node.Services, output, Environment.CurrentDirectory, insideRunningNode: true), error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void Modules_are_listed_switched_and_a_modules_command_runs_only_while_it_is_on()
    {
        var (code, output, _) = Run("modules", "list");
        Assert.Equal(0, code);
        Assert.Matches(@"(?m)^probe\s+off\s+probe\.slots\.v1\s+Probe$", output);

        var refused = Run("probe", "slots");
        Assert.Equal(1, refused.Code);
        Assert.EndsWith("[module_off]", refused.Error.TrimEnd());
        Assert.Single(refused.Error.TrimEnd().Split('\n'));

        var enabled = Run("modules", "enable", "probe");
        Assert.Equal((0, "module probe is on\n"), (enabled.Code, enabled.Out));
        var slots = Run("probe", "slots");
        Assert.Equal(0, slots.Code);
        Assert.Equal("0 slots taken (hello from probe, as cli)\n", slots.Out);
        Assert.Matches(@"(?m)^probe\s+on\s", Run("modules", "list").Out);

        Assert.Equal("module probe is off\n", Run("modules", "disable", "probe").Out);
        Assert.Equal(1, Run("probe", "slots").Code);
    }

    [Fact]
    public void An_unknown_module_is_one_line_with_its_code()
    {
        var (code, _, error) = Run("modules", "enable", "nothing");
        Assert.Equal(1, code);
        Assert.Equal("error: no module 'nothing' on this node [not_found]", error.TrimEnd());
        Assert.Equal(2, Run("modules", "enable").Code);
    }
}
