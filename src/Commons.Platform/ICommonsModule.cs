using System.CommandLine;
using System.Reflection;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Platform;

/// <summary>
/// One pooling experiment built into the node (the map, the shared place, …): its kinds of dataset, services, member
/// API, pages and CLI commands. The host lists its modules in one place; an administrator turns each on or off per
/// node. While a module is off its API, pages, navigation and requests from peers answer as if it did not exist, and
/// its data stays as it was. A module uses only Core's ports and this contract, never a storage engine.
/// </summary>
public interface ICommonsModule
{
    /// <summary>Stable lowercase name (<c>place</c>): the first part of its kinds' names, its routes (<c>/api/place</c>, <c>/place</c>) and its data.</summary>
    string Name { get; }

    LocalizedText Title { get; }
    LocalizedText Description { get; }

    /// <summary>The kinds of dataset the module builds on (each named <c>{Name}.something</c>).</summary>
    IReadOnlyList<DatasetKind> Kinds { get; }

    /// <summary>
    /// The module's services, registered whether it is on or not (its kinds' rules must hold for data written while it
    /// was on). Request handlers for its kinds are registered here as <see cref="Core.Exchanges.IRequestHandler"/>.
    /// </summary>
    void AddServices(IServiceCollection services, IConfiguration configuration);

    /// <summary>The module's member API, mapped on a group at <c>/api/{Name}</c> that requires a signed-in caller.</summary>
    void MapApi(IEndpointRouteBuilder api);

    /// <summary>The assembly whose routable Razor components (<c>@page "/{Name}/…"</c>) are the module's pages; null if it has none.</summary>
    Assembly? Pages { get; }

    /// <summary>
    /// Endpoints beside the pages that are no page (an image a page shows, a file to download), on a group at
    /// <c>/{Name}</c> behind the browser sign-in and the module's switch; none by default.
    /// </summary>
    void MapPageEndpoints(IEndpointRouteBuilder pages) { }

    /// <summary>
    /// Endpoints anyone may fetch without signing in or a cookie (a calendar program reading a feed), on a group at
    /// <c>/{Name}/public</c> behind the module's switch (404 while off) and a per-address rate limit; none by default.
    /// No caller is known there: each endpoint admits by what its URL carries (a secret token), and answers 404 to
    /// anything else, so a guess learns nothing.
    /// </summary>
    void MapPublicEndpoints(IEndpointRouteBuilder anonymous) { }

    /// <summary>Entries of the main navigation, shown while the module is on.</summary>
    IReadOnlyList<ModuleLink> Navigation { get; }

    /// <summary>The module's admin command (<c>commons-node {Name} …</c>), or null.</summary>
    Command? BuildCommand(Func<ModuleCommandContext> context);

    /// <summary>Steps the dashboard's first-run checklist adds while the module is on (after the node's own steps).</summary>
    IReadOnlyList<FirstRunStep> FirstRunSteps => [];

    /// <summary>
    /// What is new for this member that the dashboard lists while the module is on (new matches, a booking to
    /// approve), newest first, at most 10; asked on each dashboard view, so cheap and without network.
    /// </summary>
    IReadOnlyList<DashboardItem> DashboardItems(IServiceProvider services, Caller caller) => [];
}

/// <summary>One line of a module's news on the dashboard: what happened in the node's three languages, the page it leads to, and when.</summary>
public sealed record DashboardItem(LocalizedText Text, string Path, DateTimeOffset At);

/// <summary>
/// One step of the dashboard's first-run checklist: a stable id, what to do in the node's three languages, the page
/// that does it, and whether it is done (asked of the node's services for the signed-in caller; cheap, no network).
/// </summary>
public sealed record FirstRunStep(string Id, LocalizedText Label, string Path, Func<IServiceProvider, Caller, bool> IsDone);

/// <summary>A navigation entry: a path under <c>/{module}</c> and its label in the node's three languages.</summary>
public sealed record ModuleLink(string Path, LocalizedText Label);

/// <summary>What a module's CLI command runs against: the node's services and where to write; it acts as the node's operator.</summary>
public sealed record ModuleCommandContext(IServiceProvider Services, TextWriter Out, Caller Operator)
{
    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();
}
