using System.CommandLine;
using Commons.Modules.Employers.Services;
using Commons.Modules.Employers.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Employers.Tests.Support.EmployersNode;

namespace Commons.Modules.Employers.Tests;

/// <summary><c>commons-node employers close MONTH</c> as the operator, and the size limit warned about, never refused.</summary>
public sealed class GroupCommandTests : IDisposable
{
    private readonly EmployersNode _node = new EmployersNode().WithGroup();
    private readonly StringWriter _out = new();

    public void Dispose() => _node.Dispose();

    private int Run(params string[] args)
    {
        var services = new ServiceCollection().AddSingleton(_node.Group).BuildServiceProvider();
        var command = new EmployersModule().BuildCommand(() => new ModuleCommandContext(services, _out, Admin))!;
        return command.Parse(args).Invoke(new InvocationConfiguration { Output = _out, Error = new StringWriter() });
    }

    [Fact]
    public void Close_prints_one_line_with_what_was_split()
    {
        Assert.Equal(0, Run("close", "2026-02"));
        Assert.Equal("closed 2026-02: 2 workers, 4950.40 EUR split", _out.ToString().Trim());
        Assert.Equal(["2026-02"], _node.Group.ClosedMonths(Admin));
    }

    [Fact]
    public void More_members_than_the_size_limit_is_warned_about_and_still_stored()
    {
        Assert.Empty(_node.Group.Warnings(Admin));
        _node.Records.Update(Admin, "group", "settings", Doc($$"""
            {"name":"Groupement Solidaire","sizeLimit":2,"allocationRule":"pro_rata_hours","fallbackRule":"planned_share",
             "members":[{"actor":"{{A}}","name":"Asbl Alpha"},{"actor":"{{B}}","name":"Vzw Beta"},{"actor":"{{C}}","name":"Coop Gamma"}]}
            """), null, null);
        Assert.Equal([EmployersService.SizeLimitExceeded], _node.Group.Warnings(Alice));
    }
}
