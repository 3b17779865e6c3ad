using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using NSec.Cryptography;

namespace Commons.Bench.Credit;

/// <summary>
/// <c>dotnet run -c Release --project bench/Commons.Bench.Credit [-- --transfers N --concurrency N --runs N --sequential N --node path/to/commons-node.dll]</c>:
/// two node processes (Release) on 127.0.0.1 in one exchange group, A paying B through A's API (<c>POST /api/credit/ledgers/ledger/pay</c>).
/// A transfer is completed when A's ledger holds it completed: B stored it and answered, signed, and A settled it
/// (A's balance is read every few milliseconds, which settles what was answered). Measured: N transfers sent by
/// <c>--concurrency</c> callers at once, <c>--runs</c> times (completed per second), and <c>--sequential</c> transfers
/// one at a time (each one's time to completion). Beside them, in the same run on one thread: two Ed25519 signatures
/// and two verifications (NSec) — what the two FEP-8b32 proofs of a transfer cost at both ends — and the same with
/// RSA-2048 (the two HTTP signatures).
/// </summary>
public static class Program
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> Main(string[] args)
    {
        var transfers = Arg(args, "--transfers", 300);
        var concurrency = Arg(args, "--concurrency", 8);
        var runs = Arg(args, "--runs", 3);
        var sequential = Arg(args, "--sequential", 50);
        var dll = args.SkipWhile(a => a != "--node").Skip(1).FirstOrDefault() is { } given ? Path.GetFullPath(given) : DefaultNode();
        if (dll is null || !File.Exists(dll))
        {
            Console.Error.WriteLine($"credit bench: the node is missing ({dll ?? "no repository above this folder"}); build it first: dotnet build src/Commons.Node -c Release");
            return 2;
        }
        var loadBefore = Load();
        try
        {
            using var a = await NodeProcess.StartAsync(dll);
            using var b = await NodeProcess.StartAsync(dll);
            await OpenGroupAsync(a, b);
            var count = 0L;
            count = await FirstTransferAsync(a, b); // B's ledger actor fetched: on a loaded machine it may take more than one try
            count = await TransferAsync(a, b, 20, 4, count); // warm-up: JIT, keys fetched, connections open

            var latencies = new List<double>();
            var phases = new List<Phases>();
            var countB = await CountAsync(b);
            for (var i = 0; i < sequential; i++)
            {
                var timed = await TimedTransferAsync(a, b, count, countB);
                (count, countB) = (count + 1, countB + 1);
                phases.Add(timed);
                latencies.Add(timed.Completed);
            }
            var rates = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var sw = Stopwatch.StartNew();
                count = await TransferAsync(a, b, transfers, concurrency, count);
                rates.Add(transfers / sw.Elapsed.TotalSeconds);
            }
            var ed25519 = Ed25519PerSecond();
            var rsa = RsaPerSecond();

            latencies.Sort();
            Console.WriteLine($"mutual credit: A pays B, two node processes on 127.0.0.1 — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load before {loadBefore}, after {Load()}");
            Console.WriteLine("| measured in the same run | n | result |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| completed transfers per second, {concurrency} callers at once (each run) | {runs} × {transfers:N0} | {string.Join(" · ", rates.Select(r => r.ToString("N1", Inv)))} |");
            Console.WriteLine($"| one transfer at a time: API call to completed on A, p50 / p90 / max | {sequential} | {Pct(latencies, 0.5):N1} / {Pct(latencies, 0.9):N1} / {latencies.DefaultIfEmpty(0).Max():N1} ms |");
            Console.WriteLine($"| … of which: A's API call returns (A reserved it, queued the request) p50 | {sequential} | {Median(phases.Select(p => p.Api)):N1} ms |");
            Console.WriteLine($"| … B holds it completed (delivered, proofs checked, stored on B) p50 | {sequential} | {Median(phases.Select(p => p.OnB)):N1} ms |");
            Console.WriteLine($"| … A holds it completed (B's answer delivered, A settled) p50 | {sequential} | {Median(phases.Select(p => p.Completed)):N1} ms |");
            Console.WriteLine($"| raw Ed25519 (NSec): 2 signatures + 2 verifications per second, one thread | 2,000 | {ed25519:N0} |");
            Console.WriteLine($"| raw RSA-2048: 2 signatures + 2 verifications per second, one thread | 500 | {rsa:N0} |");
            Console.WriteLine($"ratio transfers ÷ raw Ed25519 pairs: {rates.Max() / ed25519:0.0000} (best run); ÷ raw RSA-2048 pairs: {rates.Max() / rsa:0.000}; A's ledger holds {count:N0} completed");
            return 0;
        }
        catch (BenchFailedException e)
        {
            Console.Error.WriteLine($"credit bench: {e.Message}");
            return 1;
        }
    }

    /// <summary>Credit on both nodes, each with a ledger shared with the other, a group on A (limits far away) that both join.</summary>
    private static async Task OpenGroupAsync(NodeProcess a, NodeProcess b)
    {
        foreach (var (node, other) in new[] { (a, b), (b, a) })
        {
            await NodeProcess.Expect(await node.Api.PutAsync("/api/admin/modules/credit", NodeProcess.Json(new JsonObject { ["enabled"] = true })), HttpStatusCode.OK);
            await NodeProcess.Expect(await node.Api.PostAsync("/api/datasets", NodeProcess.Json(new JsonObject
            {
                ["slug"] = "ledger", ["title"] = new JsonObject { ["en"] = "Account" }, ["kind"] = "credit.ledger", ["policy"] = "peers",
                ["allowedPeers"] = new JsonArray(other.Authority),
            })), HttpStatusCode.Created);
        }
        await NodeProcess.Expect(await a.Api.PostAsync("/api/datasets", NodeProcess.Json(new JsonObject
        {
            ["slug"] = "groups", ["title"] = new JsonObject { ["en"] = "Groups" }, ["kind"] = "credit.group",
        })), HttpStatusCode.Created);
        await NodeProcess.Expect(await a.Api.PostAsync("/api/datasets/groups/records", NodeProcess.Json(new JsonObject
        {
            ["id"] = "bench",
            ["data"] = new JsonObject
            {
                ["unit"] = new JsonObject { ["name"] = new JsonObject { ["en"] = "Bench" }, ["symbol"] = "ŧ", ["precision"] = 2 },
                ["members"] = new JsonArray(new[] { a, b }.Select(n => (JsonNode)new JsonObject { ["actor"] = n.Actor, ["ledger"] = $"{n.Url}/datasets/ledger" }).ToArray()),
                ["lowest"] = "-999999999", ["highest"] = "999999999",
            },
        })), HttpStatusCode.Created);
        await NodeProcess.Expect(await a.Api.PostAsync("/api/credit/ledgers/ledger/join", NodeProcess.Json(new JsonObject { ["group"] = "bench", ["account"] = a.Actor })), HttpStatusCode.OK);
        var join = new JsonObject { ["group"] = "bench", ["account"] = b.Actor, ["groupDataset"] = $"{a.Url}/datasets/groups" };
        for (var attempt = 1; ; attempt++)
        {
            var response = await b.Api.PostAsync("/api/credit/ledgers/ledger/join", NodeProcess.Json(join.DeepClone()));
            if (response.StatusCode != HttpStatusCode.BadGateway || attempt == 5)
            {
                await NodeProcess.Expect(response, HttpStatusCode.OK);
                return;
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="n"/> payments of 1 ŧ from A to B by <paramref name="callers"/> at once and waits until A's
    /// ledger counts them completed (reading A's balance, which settles what was answered); returns A's new count.
    /// </summary>
    private static async Task<long> TransferAsync(NodeProcess a, NodeProcess b, int n, int callers, long countBefore)
    {
        var next = -1;
        async Task Call()
        {
            while (Interlocked.Increment(ref next) < n)
            {
                var paid = await NodeProcess.Expect(await a.Api.PostAsync("/api/credit/ledgers/ledger/pay",
                    NodeProcess.Json(new JsonObject { ["payee"] = b.Actor, ["amount"] = "1", ["memo"] = "bench" })), HttpStatusCode.Created);
                if ((string?)paid["state"] is not ("pending" or "completed")) throw new BenchFailedException($"a payment was {paid["state"]}: {paid["reason"]}");
            }
        }
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Call()));
        var target = countBefore + n;
        var waited = Stopwatch.StartNew();
        while (true)
        {
            var balance = await NodeProcess.Expect(await a.Api.GetAsync("/api/credit/ledgers/ledger/balance"), HttpStatusCode.OK);
            if ((long)balance["count"]! >= target) return (long)balance["count"]!;
            if (waited.Elapsed > TimeSpan.FromMinutes(5)) throw new BenchFailedException($"A completed {balance["count"]} of {target} transfers in 5 minutes");
            await Task.Delay(5);
        }
    }

    /// <summary>The first payment, retried while A cannot yet fetch B's ledger actor in time (400 naming the target); returns A's count.</summary>
    private static async Task<long> FirstTransferAsync(NodeProcess a, NodeProcess b)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await a.Api.PostAsync("/api/credit/ledgers/ledger/pay", NodeProcess.Json(new JsonObject { ["payee"] = b.Actor, ["amount"] = "1", ["memo"] = "bench" }));
            if (response.StatusCode != HttpStatusCode.BadRequest || attempt == 5) break;
        }
        return await TransferAsync(a, b, 0, 1, 1);
    }

    /// <summary>Milliseconds from the API call: until it returned, until B's ledger counted it, until A's did.</summary>
    private sealed record Phases(double Api, double OnB, double Completed);

    /// <summary>One payment of 1 ŧ, timed in its three steps by reading both balances every 2 ms (a read settles what was answered).</summary>
    private static async Task<Phases> TimedTransferAsync(NodeProcess a, NodeProcess b, long countA, long countB)
    {
        var sw = Stopwatch.StartNew();
        var paid = await NodeProcess.Expect(await a.Api.PostAsync("/api/credit/ledgers/ledger/pay",
            NodeProcess.Json(new JsonObject { ["payee"] = b.Actor, ["amount"] = "1", ["memo"] = "bench" })), HttpStatusCode.Created);
        if ((string?)paid["state"] is not ("pending" or "completed")) throw new BenchFailedException($"a payment was {paid["state"]}: {paid["reason"]}");
        var api = sw.Elapsed.TotalMilliseconds;
        double? onB = null;
        while (true)
        {
            if (onB is null && await CountAsync(b) > countB) onB = sw.Elapsed.TotalMilliseconds;
            if (await CountAsync(a) > countA) return new Phases(api, onB ?? sw.Elapsed.TotalMilliseconds, sw.Elapsed.TotalMilliseconds);
            if (sw.Elapsed > TimeSpan.FromMinutes(2)) throw new BenchFailedException("a transfer did not complete in 2 minutes");
            await Task.Delay(2);
        }
    }

    private static async Task<long> CountAsync(NodeProcess node) =>
        (long)(await NodeProcess.Expect(await node.Api.GetAsync("/api/credit/ledgers/ledger/balance"), HttpStatusCode.OK))["count"]!;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return Pct(sorted, 0.5);
    }

    /// <summary>The payload a proof covers: a transfer's body as JSON text, about the size of the real one.</summary>
    private static readonly byte[] Message = Encoding.UTF8.GetBytes(
        """{"id":"tx-0f1e2d3c4b5a69788796a5b4c3d2e1f0","payer":"http://127.0.0.1:40001/actor","payee":"http://127.0.0.1:40002/actor","amount":"12.50","unit":"ŧ","nonce":"a1b2c3d4e5f60718293a4b5c6d7e8f90","time":"2026-12-07T08:00:00.000Z","memo":"bench"}""");

    /// <summary>Two Ed25519 signatures and two verifications (a transfer's two proofs, made and checked), per second.</summary>
    private static double Ed25519PerSecond()
    {
        var algorithm = SignatureAlgorithm.Ed25519;
        using var payer = Key.Create(algorithm);
        using var payee = Key.Create(algorithm);
        Pairs(algorithm, payer, payee, 200);
        var sw = Stopwatch.StartNew();
        Pairs(algorithm, payer, payee, 2000);
        return 2000 / sw.Elapsed.TotalSeconds;
    }

    private static void Pairs(SignatureAlgorithm algorithm, Key payer, Key payee, int n)
    {
        for (var i = 0; i < n; i++)
        {
            var request = algorithm.Sign(payer, Message);
            if (!algorithm.Verify(payer.PublicKey, Message, request)) throw new BenchFailedException("Ed25519 verify failed");
            var answer = algorithm.Sign(payee, Message);
            if (!algorithm.Verify(payee.PublicKey, Message, answer)) throw new BenchFailedException("Ed25519 verify failed");
        }
    }

    /// <summary>The same with RSA-2048 PKCS#1 SHA-256, as the HTTP signatures of the request and the answer.</summary>
    private static double RsaPerSecond()
    {
        using var payer = RSA.Create(2048);
        using var payee = RSA.Create(2048);
        void Run(int n)
        {
            for (var i = 0; i < n; i++)
                foreach (var key in new[] { payer, payee })
                    if (!key.VerifyData(Message, key.SignData(Message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                        throw new BenchFailedException("RSA verify failed");
        }
        Run(20);
        var sw = Stopwatch.StartNew();
        Run(500);
        return 500 / sw.Elapsed.TotalSeconds;
    }

    private static double Pct(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, Inv, out var v) && v > 0 ? v : fallback;
    }

    private static string? DefaultNode()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Commons.Node.sln")))
                return Path.Combine(dir.FullName, "src", "Commons.Node", "bin", "Release", "net10.0", "commons-node.dll");
        return null;
    }

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
