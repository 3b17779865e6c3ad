using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Kinds;
using Commons.Core.Modules;
using Commons.Platform;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Commons.Probe;

/// <summary>The test module: <c>probe</c>, with one kind (<c>probe.slots</c>: a slot is taken once, a view <c>echo</c>), one endpoint, one page, one command.</summary>
public sealed class ProbeModule : ICommonsModule
{
    public string Name => "probe";
    public LocalizedText Title { get; } = new("Sonde", "Sonde", "Probe");
    public LocalizedText Description { get; } = new("Un module d’essai.", "Een testmodule.", "A module for tests.");
    public IReadOnlyList<DatasetKind> Kinds { get; } = [new SlotsKind()];
    public Assembly? Pages => typeof(ProbeModule).Assembly;
    public IReadOnlyList<ModuleLink> Navigation { get; } = [new("/probe", new LocalizedText("Sonde", "Sonde", "Probe"))];

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ProbeGreeting>();
        services.AddSingleton<Core.Exchanges.IDatasetView, ProbeEchoView>();
    }

    public void MapApi(IEndpointRouteBuilder api) =>
        api.MapGet("/hello", (HttpContext http, [FromServices] ICallerAccessor callers, [FromServices] ProbeGreeting greeting) =>
            new ProbeHello(greeting.Text, callers.Caller(http).Username)).WithSummary("The probe module says hello to the caller.");

    /// <summary>A public endpoint, as a calendar feed is: the secret in the path admits, anything else is a 404.</summary>
    public void MapPublicEndpoints(IEndpointRouteBuilder anonymous) =>
        anonymous.MapGet("/ping/{secret}", (string secret) => secret == ProbeGreeting.Secret ? Results.Text("pong") : Results.NotFound());

    public Command? BuildCommand(Func<ModuleCommandContext> context)
    {
        var command = new Command("probe", "The probe module's command.");
        var slots = new Command("slots", "Count the slots taken.");
        slots.SetAction(_ =>
        {
            var c = context();
            var taken = c.Get<IModuleStore>().Read("probe", data => data.Range(SlotsKind.Collection, null, null, 1000).Count);
            c.Out.WriteLine($"{taken} slots taken ({c.Get<ProbeGreeting>().Text}, as {c.Operator.Username})");
            return 0;
        });
        command.Add(slots);
        return command;
    }
}

public sealed record ProbeHello(string Text, string To);

public sealed class ProbeGreeting
{
    public const string Secret = "open-sesame";

    public string Text => "hello from probe";
}

/// <summary><c>probe.slots</c>: records <c>{"slot": "…"}</c>; a slot is taken by one record at a time.</summary>
public sealed class SlotsKind : DatasetKind
{
    public const string Collection = "slots";
    public const string SlotTaken = "probe_slot_taken";

    public override string Name => "probe.slots";
    public override int SchemaVersion => 1;
    public override LocalizedText Title { get; } = new("Créneaux", "Tijdsloten", "Slots");
    public override SharingPolicy DefaultPolicy => SharingPolicy.Public;
    public override IReadOnlyList<string> DefaultExcludedFields { get; } = ["note"];
    public override IReadOnlyList<string> ProblemCodes { get; } = [SlotTaken];

    public override string Schema =>
        """
        {
          "$schema": "https://json-schema.org/draft/2020-12/schema",
          "$id": "/schemas/probe.slots.v1.json",
          "type": "object",
          "required": ["slot"],
          "properties": { "slot": { "type": "string", "minLength": 1, "maxLength": 40 }, "note": { "type": "string" } },
          "additionalProperties": false
        }
        """;

    public override void CheckWrite(RecordWrite write, IModuleData data)
    {
        if (write.Previous?.Data.GetProperty("slot").GetString() is { } before && data.Get(Collection, before) is { } owner
            && owner.GetProperty("record").GetString() == write.Next.Id)
            data.Delete(Collection, before);
        if (write.IsDelete) return;
        var slot = write.Next.Data.GetProperty("slot").GetString()!;
        if (data.Get(Collection, slot) is { } taken && taken.GetProperty("record").GetString() != write.Next.Id)
            throw new RuleConflictException(SlotTaken, "Slot taken", $"the slot '{slot}' is taken");
        data.Put(Collection, slot, JsonSerializer.SerializeToElement(new { record = write.Next.Id }));
    }
}
