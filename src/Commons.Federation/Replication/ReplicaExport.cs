using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Http;
using Commons.Federation.Integrity;

namespace Commons.Federation.Replication;

/// <summary>
/// A replica exported with its proofs: the origin dataset's actor document (its published keys) and every record object
/// exactly as the origin signed it. <see cref="Check"/> verifies such a file offline — no network, only the keys inside —
/// so anyone can confirm that each record was signed by the dataset's key.
/// </summary>
public sealed class ReplicaExport(ISubscriptionStore subscriptions, IReplicaStore replicas, RemoteActorFetcher actors, TimeProvider clock)
{
    public const string Format = "commons-node-replica-export";

    public async Task<JsonObject> BuildAsync(string subscriptionId, CancellationToken ct)
    {
        var s = subscriptions.Find(subscriptionId) ?? throw new NotFoundException($"no subscription '{subscriptionId}'");
        var actor = await actors.FetchAsync(new Uri(s.DatasetActor), ct);
        var records = new JsonArray();
        string? after = null;
        while (true)
        {
            var page = replicas.List(s.Id, after, 500);
            foreach (var r in page)
                if (r.SignedObject is { } signed) records.Add(JsonNode.Parse(signed));
            if (page.Count < 500) break;
            after = page[^1].RecordId;
        }
        return new JsonObject
        {
            ["format"] = Format,
            ["origin"] = s.DatasetActor,
            ["exportedAt"] = AsJson.FormatTime(clock.GetUtcNow()),
            ["actor"] = JsonNode.Parse(actor.Document.GetRawText()),
            ["records"] = records,
        };
    }

    public sealed record CheckResult(int Records, int Verified, IReadOnlyList<string> Problems)
    {
        public bool Ok => Problems.Count == 0 && Records == Verified;
    }

    /// <summary>Verifies every record of an export against the keys its actor document publishes.</summary>
    public static CheckResult Check(JsonElement export)
    {
        var problems = new List<string>();
        if (AsJson.String(export, "format") != Format) return new(0, 0, ["not a Commons Node replica export"]);
        var origin = AsJson.String(export, "origin") ?? "";
        if (!RemoteActorDocument.TryRead(AsJson.Get(export, "actor"), out var actor, out var error) || actor!.Id != origin)
            return new(0, 0, [$"the export's actor document is unusable: {error ?? "its id is not the origin"}"]);
        var records = AsJson.Values(export, "records");
        var verified = 0;
        foreach (var record in records)
        {
            var id = AsJson.Id(record) ?? "(no id)";
            if (!id.StartsWith(origin.TrimEnd('/') + "/records/", StringComparison.Ordinal)) { problems.Add($"{id}: not a record of {origin}"); continue; }
            var node = JsonNode.Parse(record.GetRawText()) as JsonObject;
            var method = AsJson.String(AsJson.Get(record, "proof"), "verificationMethod");
            var key = method is null || !method.StartsWith(origin + "#", StringComparison.Ordinal) ? null : actor.FindAssertionMethod(method);
            if (node is null || key is null) { problems.Add($"{id}: its proof does not name one of {origin}'s keys"); continue; }
            var result = EddsaJcs2022Cryptosuite.Verify(node, Multikey.ToVerificationKey(key.PublicKeyMultibase));
            if (result.IsValid) verified++;
            else problems.Add($"{id}: {result.Failure} {result.Detail}");
        }
        return new(records.Count, verified, problems);
    }
}
