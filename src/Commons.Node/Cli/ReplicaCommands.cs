using System.CommandLine;
using System.Text.Json;
using Commons.Federation.Following;
using Commons.Federation.Replication;

namespace Commons.Node.Cli;

/// <summary><c>replica verify|export|check</c>: replicas of followed datasets, their divergence check and offline proof check.</summary>
internal static class ReplicaCommands
{
    public static Command Build(Func<CliContext> context)
    {
        var replica = new Command("replica", "Replicas of the datasets this node follows.");

        var verifyId = new Argument<string>("id") { Description = "The subscription id (see 'following')." };
        var verify = new Command("verify", "Compare the replica with the origin's digest; a mismatch resyncs it.") { verifyId };
        verify.SetAction(async (p, ct) =>
        {
            var c = context();
            var o = await c.Get<SubscriptionService>().VerifyAsync(CliContext.Operator, p.GetValue(verifyId)!, ct);
            c.Out.WriteLine(o.Equal
                ? $"equal: {o.Local.Count} records, digest {o.Local.Hash}"
                : $"different: here {o.Local.Count} records ({o.Local.Hash}), origin {o.Remote.Count} ({o.Remote.Hash}); resync started");
            return o.Equal ? 0 : 1;
        });

        var exportId = new Argument<string>("id");
        var file = new Argument<string>("file") { Description = "Where to write the export (JSON)." };
        var export = new Command("export", "Write the replica with its proofs and the origin's keys, for offline checks.") { exportId, file };
        export.SetAction(async (p, ct) =>
        {
            var c = context();
            var doc = await c.Get<SubscriptionService>().ExportAsync(CliContext.Operator, p.GetValue(exportId)!, ct);
            var path = c.ResolvePath(p.GetValue(file)!);
            await File.WriteAllTextAsync(path, doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), ct);
            c.Out.WriteLine($"{doc["records"]!.AsArray().Count} records written to {path}");
            return 0;
        });

        var checkFile = new Argument<string>("file") { Description = "A file written by 'replica export'." };
        var check = new Command("check", "Verify offline that every record of an export was signed by its origin dataset's key.") { checkFile };
        check.SetAction(p =>
        {
            var c = context();
            var path = c.ResolvePath(p.GetValue(checkFile)!);
            JsonDocument doc;
            try { doc = JsonDocument.Parse(File.ReadAllBytes(path)); }
            catch (JsonException e) { throw new CliException($"{path} is not JSON: {e.Message}"); }
            using (doc)
            {
                var result = ReplicaExport.Check(doc.RootElement);
                foreach (var problem in result.Problems) c.Out.WriteLine($"problem: {problem}");
                c.Out.WriteLine($"{(result.Ok ? "ok" : "FAILED")}: {result.Verified} of {result.Records} records verified");
                return result.Ok ? 0 : 1;
            }
        });

        var listId = new Argument<string>("id") { Description = "The subscription id (see 'following')." };
        var search = new Option<string?>("--search") { Description = "Only records containing these words (accent-insensitive)." };
        var limit = new Option<int>("--limit") { Description = "How many records (default 50).", DefaultValueFactory = _ => 50 };
        var list = new Command("list", "Browse a replica: each record with its revision, when it came and whether its proof verified.") { listId, search, limit };
        list.SetAction(p =>
        {
            var c = context();
            var (subscription, items) = c.Get<SubscriptionService>().Records(CliContext.Operator, p.GetValue(listId)!, null, Math.Clamp(p.GetValue(limit), 1, 1000), p.GetValue(search));
            c.Out.WriteLine($"from {subscription.Handle ?? subscription.DatasetActor}");
            c.Out.WriteLine($"{"ID",-28} {"REV",5} {"RECEIVED",-20} {"PROOF",-8} NAME");
            foreach (var r in items)
                c.Out.WriteLine($"{r.RecordId,-28} {r.Revision,5} {r.ReceivedAt:yyyy-MM-dd HH:mm:ss} {(r.ProofVerified ? "verified" : "none"),-8} {r.Name}");
            return 0;
        });

        replica.Add(list);
        replica.Add(verify);
        replica.Add(export);
        replica.Add(check);
        return replica;
    }
}
