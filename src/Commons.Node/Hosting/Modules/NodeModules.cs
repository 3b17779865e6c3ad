using Commons.Modules.Employers;
using Commons.Modules.Committee;
using Commons.Modules.Credit;
using Commons.Modules.Map;
using Commons.Modules.Place;
using Commons.Platform;

namespace Commons.Node.Hosting.Modules;

/// <summary>
/// The modules built into this node: the one line a new module adds (docs/modules.md). Each is off until an
/// administrator turns it on (<c>commons-node modules enable NAME</c>, the Modules admin page, or the API).
/// </summary>
public static class NodeModules
{
    public static IReadOnlyList<ICommonsModule> All { get; } = [new PlaceModule(), new MapModule(), new EmployersModule(), new CreditModule(), new CommitteeModule()];
}
