using Commons.Modules.Place.Services;
using Commons.Modules.Place.Tests.Support;
using Commons.Platform;
using Microsoft.Extensions.DependencyInjection;
using static Commons.Modules.Place.Tests.Support.PlaceNode;

namespace Commons.Modules.Place.Tests;

/// <summary><c>commons-node place …</c>: the operator's view of the place, through the same service as the API.</summary>
public sealed class PlaceCommandTests : IDisposable
{
    private readonly PlaceNode _node = new PlaceNode().WithPlace();
    private readonly StringWriter _out = new();

    public void Dispose() => _node.Dispose();

    private int Run(params string[] args)
    {
        var services = new ServiceCollection().AddSingleton(_node.Place).BuildServiceProvider();
        var command = new PlaceModule().BuildCommand(() => new ModuleCommandContext(services, _out, Admin))!;
        return command.Parse(args).Invoke(new System.CommandLine.InvocationConfiguration { Output = _out, Error = new StringWriter() });
    }

    [Fact]
    public void Resources_lists_every_resource_with_its_bookings_ahead()
    {
        _node.Place.Book(Alice, Ask("van", "2026-03-21T10:00:00+01:00", "2026-03-21T12:00:00+01:00"));
        Assert.Equal(0, Run("resources"));
        var lines = _out.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("ID", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("hall", StringComparison.Ordinal) && l.Contains("Main hall") && l.Contains(" room "));
        Assert.Contains(lines, l => l.StartsWith("van", StringComparison.Ordinal) && l.Contains(" item ") && l.Contains(" 1 "));
    }

    [Fact]
    public void Bookings_lists_all_bookings_or_one_resources_with_Brussels_times()
    {
        var hall = _node.Place.Book(Alice, Ask("hall", "2026-04-01T10:00:00+02:00", "2026-04-01T12:00:00+02:00"));
        var van = _node.Place.Book(Bob, Ask("van", "2026-03-21T09:00:00Z", "2026-03-21T12:00:00Z"));
        Assert.Equal(0, Run("bookings"));
        Assert.Contains(hall.Id, _out.ToString());
        Assert.Contains(van.Id, _out.ToString());
        Assert.Contains("2026-03-21T10:00:00+01:00", _out.ToString());

        _out.GetStringBuilder().Clear();
        Assert.Equal(0, Run("bookings", "--resource", "hall"));
        Assert.Contains(hall.Id, _out.ToString());
        Assert.DoesNotContain(van.Id, _out.ToString());
        Assert.Contains("alice", _out.ToString());
    }

    [Fact]
    public void An_unknown_subcommand_is_a_parse_error()
    {
        Assert.NotEqual(0, Run("rooms"));
    }
}
