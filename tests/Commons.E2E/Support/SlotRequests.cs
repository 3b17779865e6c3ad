using System.Text.Json;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Modules;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Commons.E2E.Support;

/// <summary>
/// A test kind and its request handler, standing in for a module's (the first real one is written beside this): each
/// slot may be held by one record (rule <c>slot_taken</c>, checked inside the write); a <c>test.claim</c> request
/// creates the record on the asker's behalf, or is left to a steward when its body says <c>"wait": true</c>.
/// </summary>
public static class SlotRequests
{
    public const string Kind = "test.slots";
    public const string Claim = "test.claim";
    public const string Taken = "slot_taken";

    public static void AddTo(IServiceCollection services)
    {
        services.RemoveAll<IDatasetKinds>();
        services.AddSingleton<IDatasetKinds>(new DatasetKindRegistry([new SlotKind()]));
        services.AddSingleton<IRequestHandler, ClaimHandler>();
        // The test kind belongs to no module the host lists, and a module the host does not know is off: these nodes
        // treat every module as on, so the test kind's datasets can be created and asked.
        services.RemoveAll<IModuleSwitches>();
        services.AddSingleton<IModuleSwitches>(AllModulesOn.Instance);
    }

    /// <summary>Creates a dataset of the test kind (public, as the kind says) and returns its slug.</summary>
    public static string CreateDataset(TestNode node)
    {
        var slug = node.Unique("slots-");
        node.Service<DatasetService>().Create(new Caller("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin),
            new DatasetDraft { Slug = slug, Title = new LocalizedText("Créneaux", "Tijdsloten", "Slots"), Kind = Kind });
        return slug;
    }

    private sealed class SlotKind : DatasetKind
    {
        public override string Name => Kind;
        public override int SchemaVersion => 1;
        public override LocalizedText Title => new("Créneaux", "Tijdsloten", "Slots");
        public override SharingPolicy DefaultPolicy => SharingPolicy.Public;
        public override string Schema => """
            {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","required":["slot"],"properties":{"slot":{"type":"string","minLength":1}}}
            """;

        public override void CheckWrite(RecordWrite write, IModuleData data)
        {
            if (write.Previous is { } previous) data.Delete("taken", previous.Data.GetProperty("slot").GetString()!);
            if (write.IsDelete) return;
            var slot = write.Next.Data.GetProperty("slot").GetString()!;
            if (data.Get("taken", slot) is not null) throw new RuleConflictException(Taken, "Slot taken", $"slot {slot} is taken");
            data.Put("taken", slot, Json($$"""{"record":"{{write.Next.Id}}"}"""));
        }
    }

    private sealed class ClaimHandler(RecordService records) : IRequestHandler
    {
        public string Kind => SlotRequests.Kind;
        public string RequestType => Claim;

        public Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct)
        {
            if (request.Body.TryGetProperty("wait", out var wait) && wait.ValueKind == JsonValueKind.True)
                return Task.FromResult(RequestDecision.Pending("a steward decides"));
            var slot = request.Body.GetProperty("slot").GetString()!;
            var (record, _) = records.CreateDecided(request.Dataset, request.RequesterActor, null, Json(JsonSerializer.Serialize(new { slot })));
            return Task.FromResult(RequestDecision.Accept(Json(JsonSerializer.Serialize(new { record = record.Id }))));
        }
    }

    private static JsonElement Json(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }
}
