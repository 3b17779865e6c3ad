using System.CommandLine;
using System.Reflection;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Node.Cli;
using Commons.Platform;
using Commons.Probe;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Node.Tests.Modules;

/// <summary>What the host refuses to start with: a module that would shadow another, or the node's own paths and commands.</summary>
public sealed class ModuleCatalogTests
{
    private sealed class Module(string name, IReadOnlyList<DatasetKind>? kinds = null, string? command = null) : ICommonsModule
    {
        public string Name => name;
        public LocalizedText Title => new(null, null, name);
        public LocalizedText Description => LocalizedText.Empty;
        public IReadOnlyList<DatasetKind> Kinds => kinds ?? [];
        public void AddServices(IServiceCollection services, IConfiguration configuration) { }
        public void MapApi(IEndpointRouteBuilder api) { }
        public Assembly? Pages => null;
        public IReadOnlyList<ModuleLink> Navigation => [];
        public Command? BuildCommand(Func<ModuleCommandContext> context) => command is null ? null : new Command(command);
    }

    [Theory]
    [InlineData("Place")]
    [InlineData("1place")]
    [InlineData("pla ce")]
    [InlineData("datasets")]
    [InlineData("api")]
    [InlineData("platform")]
    [InlineData("me")]
    [InlineData("schemas")]
    public void A_module_name_that_is_not_a_name_or_is_the_nodes_own_is_refused(string name) =>
        Assert.Throws<InvalidOperationException>(() => new ModuleCatalog([new Module(name)]));

    [Fact]
    public void Two_modules_of_one_name_two_kinds_of_one_name_and_a_kind_named_after_another_module_are_refused()
    {
        Assert.Throws<InvalidOperationException>(() => new ModuleCatalog([new Module("probe"), new Module("probe")]));
        Assert.Throws<InvalidOperationException>(() => new ModuleCatalog([new ProbeModule(), new Module("other", [new SlotsKind()])]));
        var catalog = new ModuleCatalog([new ProbeModule(), new Module("other")]);
        Assert.Equal(["other", "probe"], catalog.Modules.Select(m => m.Name));
        Assert.Same(catalog.Find("probe"), catalog.Modules[1]);
        Assert.Equal("probe.slots", catalog.Kinds.Find("probe.slots")?.Name);
    }

    [Fact]
    public void A_modules_command_is_named_after_it_and_never_shadows_the_nodes_own()
    {
        Func<CliContext> context = () => throw new InvalidOperationException();
        Assert.Throws<InvalidOperationException>(() => CliApp.BuildRoot(context, [new Module("other", command: "something")]));
        Assert.Throws<InvalidOperationException>(() => CliApp.BuildRoot(context, [new Module("check", command: "check")]));
        Assert.Contains(CliApp.BuildRoot(context, [new ProbeModule()]).Subcommands, c => c.Name == "probe");
    }
}
