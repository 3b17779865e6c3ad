using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Node.Auth;
using Commons.Node.Http;
using Commons.Platform;

namespace Commons.Node.Api;

/// <summary>A module as the API shows it: on or off (and who changed that last), its kinds and where their schemas are.</summary>
public sealed record ModuleResponse(
    string Name, LocalizedText Title, LocalizedText Description, bool Enabled, DateTimeOffset? ChangedAt, string? ChangedBy,
    IReadOnlyList<ModuleKindResponse> Kinds)
{
    public static ModuleResponse From(ModuleStatus s) => new(s.Module.Name, s.Module.Title, s.Module.Description, s.On, s.ChangedAt, s.ChangedBy,
        s.Kinds.Select(k => new ModuleKindResponse(k.Name, k.Title, k.SchemaVersion, KindSchemas.PathOf(k))).ToList());
}

public sealed record ModuleKindResponse(string Name, LocalizedText Title, int SchemaVersion, string Schema);

/// <summary>Turns a module on (<c>true</c>) or off (<c>false</c>).</summary>
public sealed record ModuleSwitchRequest(bool? Enabled);

/// <summary>The node's modules, turned on and off by an administrator at runtime.</summary>
public static class ModuleAdminEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/admin/modules").WithTags("Administration");
        group.MapGet("", (HttpContext http, ModuleAdministration modules) => modules.List(http.Caller()).Select(ModuleResponse.From).ToList())
            .WithSummary("The modules built into this node, each on or off (administrators).");

        group.MapPut("/{name}", async (HttpContext http, string name, ModuleAdministration modules) =>
        {
            var caller = http.Caller();
            modules.Get(caller, name);
            var request = await JsonBody.ReadAsync<ModuleSwitchRequest>(http);
            var enabled = request.Enabled ?? throw ValidationException.For("enabled", "true to turn the module on, false to turn it off");
            return ModuleResponse.From(modules.Set(caller, name, enabled));
        }).Accepts<ModuleSwitchRequest>("application/json").Produces<ModuleResponse>()
          .WithSummary("Turn a module on or off; applies to the next request. Its data is kept either way (administrators).");
    }
}
