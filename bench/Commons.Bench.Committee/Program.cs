using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Exchanges;
using Commons.Core.Kinds;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Federation.Signatures.Keys;
using Commons.Modules.Committee;
using Commons.Modules.Committee.Kinds;
using Commons.Modules.Committee.Requests;
using Commons.Modules.Committee.Services;
using Commons.Storage;

namespace Commons.Bench.Committee;

/// <summary>
/// <c>dotnet run -c Release --project bench/Commons.Bench.Committee [-- --ballots N]</c>: a committee of N member
/// nodes on a coordinator with a real LiteDB file; each member's ballot is a <c>committee.vote</c> request signed with
/// its own Ed25519 key (eddsa-jcs-2022), taken by the module's handler as the platform hands it over. Timed: taking
/// the N ballots, closing (the tally with every signed ballot, signed, written as the decision), and the recount
/// (every ballot's proof checked against its voter's key, the outcome computed again). Beside them, in the same run,
/// N raw Ed25519 verifications of a 64-byte message: the machine's limit for the signature checks alone. Records
/// have the node's default limit (256 KiB): past it the ballots go in signed pages beside the decision (BallotPages).
/// Beside the taking, the same N reads of the committee's terms the handler makes (one per ballot), to tell the
/// parse from the transaction.
/// </summary>
public static class Program
{
    private static readonly Caller Admin = new("root", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    public static async Task<int> Main(string[] args)
    {
        var n = Arg(args, "--ballots", 1000);
        var folder = Path.Combine(Path.GetTempPath(), "commons-bench-committee-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var clock = new BenchClock(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
            var proofs = new BenchProofs(clock);
            using var db = CommonsDatabase.Open(Path.Combine(folder, "data"));
            var kinds = new DatasetKindRegistry(new CommitteeModule().Kinds);
            var datasetStore = new LiteDatasetStore(db);
            var recordStore = new LiteRecordStore(db);
            var modules = new LiteModuleStore(db);
            var datasets = new DatasetService(datasetStore, recordStore, new LiteMemberStore(db), clock, kinds: kinds);
            var records = new RecordService(datasets, recordStore, new LiteChangeFeed(db), new RecordLimits(), clock, kinds: kinds);
            foreach (var (slug, kind) in new[] { ("committee", CommitteeKind.KindName), ("proposals", ProposalsKind.KindName), ("decisions", DecisionsKind.KindName) })
                datasets.Create(Admin, new DatasetDraft { Slug = slug, Title = new LocalizedText(slug, null, null), Kind = kind });
            var members = Enumerable.Range(0, n).Select(i => $"https://member{i}.example/actor").ToList();
            records.Create(Admin, "committee", "steering", Doc(new JsonObject
            {
                ["name"] = new JsonObject { ["en"] = "Bench" }, ["proposals"] = "proposals", ["decisions"] = "decisions",
                ["members"] = new JsonArray(members.Select(m => (JsonNode)new JsonObject { ["actor"] = m }).ToArray()),
            }));
            records.Create(Admin, "proposals", "p1", Doc(new JsonObject
            {
                ["title"] = new JsonObject { ["en"] = "Bench" }, ["opens"] = "2026-12-07T09:00:00Z", ["closes"] = "2026-12-07T10:00:00Z",
                ["quorum"] = 0.5, ["rule"] = "two_thirds", ["hiddenResults"] = true,
            }));
            var proposals = datasetStore.Find("proposals")!;
            var target = proofs.ActorOf("proposals");
            var random = new Random(16);
            var signed = members.Select((m, i) => proofs.SignAs(m, Doc(new JsonObject
            {
                ["id"] = $"{m}#requests/{i}", ["type"] = "Offer", ["actor"] = m, ["to"] = new JsonArray(target), ["target"] = target,
                ["object"] = new JsonObject
                {
                    ["type"] = "commons:Request", ["commons:requestType"] = VoteRequestHandler.Type,
                    ["commons:data"] = new JsonObject { ["proposal"] = "p1", ["option"] = ProposalTerms.YesNoAbstain[random.Next(3)] },
                },
            }))).ToList();

            var handler = new VoteRequestHandler(modules);
            var take = Stopwatch.StartNew();
            foreach (var (activity, i) in signed.Select((a, i) => (a, i)))
            {
                var request = new IncomingRequest(proposals, activity.GetProperty("id").GetString()!, VoteRequestHandler.Type, members[i], $"member{i}.example",
                    activity.GetProperty("object").GetProperty("commons:data").Clone(), clock.GetUtcNow()) { SignedJson = activity.GetRawText() };
                if ((await handler.DecideAsync(request, default)).State != ExchangeState.Accepted) throw new InvalidOperationException($"ballot {i} refused");
            }
            take.Stop();
            var lookups = Stopwatch.StartNew();
            for (var i = 0; i < n; i++)
                if (modules.Read(CommitteeBook.Module, d => new CommitteeBook(d).CommitteeOf("proposals")?.Member(members[i])) is null) throw new InvalidOperationException("no member");
            lookups.Stop();

            clock.Now = clock.Now.AddHours(1);
            var closing = new CommitteeClosing(datasetStore, recordStore, records, modules, proofs, clock);
            var close = Stopwatch.StartNew();
            var decision = closing.Close("proposals", "p1", "bench");
            close.Stop();

            var recount = new CommitteeRecount(proofs);
            var count = Stopwatch.StartNew();
            var decisions = datasetStore.Find("decisions")!;
            var report = await recount.VerifyAsync("p1", decision, proofs.ActorOf("decisions"), default,
                id => recordStore.Get(decisions.Key, id) is { Deleted: false } r ? r.Data : null);
            count.Stop();
            if (!report.Verified || report.Ballots != n) throw new InvalidOperationException($"recount failed: {string.Join("; ", report.Failures.Select(f => f.Detail))}");

            var raw = RawVerifications(n);
            var pages = decision.GetProperty("tally").TryGetProperty("ballotPages", out var refs) ? refs.EnumerateArray().Select(r => recordStore.Get(decisions.Key, r.GetProperty("id").GetString()!)!.Data).ToList() : [];
            Console.WriteLine($"committee: {n} signed ballots, outcome {report.Outcome}, decision {decision.GetRawText().Length / 1024} KiB, {pages.Count} page(s) of ballots, largest {pages.Select(p => p.GetRawText().Length).DefaultIfEmpty(0).Max() / 1024} KiB; load {Load()}");
            Console.WriteLine($"{"step",-34} {"ms",10} {"per ballot (µs)",16} {"× raw",8}");
            foreach (var (step, elapsed) in new[] { ("take ballots (handler, store)", take.Elapsed), ("committee terms read × N (alone)", lookups.Elapsed), ("close (tally, sign, write)", close.Elapsed),
                         ("recount (verify all, count)", count.Elapsed), ("raw Ed25519 verify × N (limit)", raw) })
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{step,-34} {elapsed.TotalMilliseconds,10:F1} {elapsed.TotalMilliseconds * 1000 / n,16:F1} {elapsed / raw,8:F1}"));
            return 0;
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>N Ed25519 verifications of 64 bytes (the size eddsa-jcs-2022 signs: two SHA-256 hashes), N keys.</summary>
    private static TimeSpan RawVerifications(int n)
    {
        var data = new byte[64];
        new Random(8).NextBytes(data);
        var keys = Enumerable.Range(0, n).Select(_ => Ed25519SigningKey.Generate()).ToList();
        var signatures = keys.Select(k => k.Sign(HttpSignatureAlgorithm.Ed25519, data)).ToList();
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
            if (!keys[i].PublicKey.Verify(HttpSignatureAlgorithm.Ed25519, data, signatures[i])) throw new InvalidOperationException("raw verification failed");
        watch.Stop();
        foreach (var k in keys) k.Dispose();
        return watch.Elapsed;
    }

    /// <summary>The 1-minute load average, to read each run's figures against.</summary>
    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static JsonElement Doc(JsonNode node) => JsonSerializer.SerializeToElement(node);

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }

    private sealed class BenchClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
