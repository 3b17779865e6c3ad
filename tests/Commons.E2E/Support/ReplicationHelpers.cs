using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Records;
using Commons.Core.Services;
using Commons.Core.Tokens;
using Commons.Federation.Replication;
using CoreRecord = Commons.Core.Records.Record;

namespace Commons.E2E.Support;

/// <summary>Replication helpers over a <see cref="TestNode"/>: in-process writes for volume, digests on both sides, verify.</summary>
public static class ReplicationHelpers
{
    public static readonly Caller Admin = new("admin", MemberRole.Admin, TokenScopes.Read | TokenScopes.Write | TokenScopes.Admin);

    /// <summary>Creates records straight through the node's RecordService (same code as the API, without HTTP), as admin.</summary>
    public static void CreateInProcess(this TestNode node, string slug, IEnumerable<(string Id, JsonObject Data, bool Shared)> records)
    {
        var service = node.Service<RecordService>();
        foreach (var (id, data, shared) in records)
        {
            using var doc = JsonDocument.Parse(data.ToJsonString());
            service.Create(Admin, slug, id, doc.RootElement, shared);
        }
    }

    /// <summary>The owner's digest of one of its datasets (live shared records), computed in-process.</summary>
    public static DatasetDigest.Value OwnerDigest(this TestNode owner, string slug)
    {
        var dataset = owner.Service<IDatasetStore>().Find(slug) ?? throw new InvalidOperationException($"no dataset {slug}");
        return DatasetDigest.Of(owner.Service<IRecordStore>(), dataset);
    }

    /// <summary>The follower's digest of its replica, computed in-process (no resync is triggered).</summary>
    public static DatasetDigest.Value ReplicaDigest(this TestNode follower, string subscriptionId) =>
        DatasetDigest.Of(follower.Service<IReplicaStore>().Revisions(subscriptionId));

    /// <summary>Waits until the replica's digest equals the owner's, without asking the follower to verify (which would resync).</summary>
    public static async Task WaitConvergedAsync(TestNode owner, string slug, TestNode follower, string subscriptionId, TimeSpan deadline)
    {
        DatasetDigest.Value? o = null, r = null;
        try
        {
            await Wait.UntilAsync(() =>
            {
                o = owner.OwnerDigest(slug);
                r = follower.ReplicaDigest(subscriptionId);
                return Task.FromResult(o == r);
            }, $"the replica of {slug} to equal the origin", deadline);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: origin {o}, replica {r}", e);
        }
    }

    /// <summary>POST /api/subscriptions/{id}/verify as admin.</summary>
    public static async Task<JsonObject> VerifyAsync(this TestNode follower, string subscriptionId)
    {
        using var admin = await follower.AdminAsync();
        return await Http.Expect(await admin.PostAsync($"/api/subscriptions/{subscriptionId}/verify", null), 200);
    }

    public static async Task<JsonObject> ExportAsync(this TestNode follower, string subscriptionId)
    {
        using var admin = await follower.AdminAsync();
        return await Http.Expect(await admin.GetAsync($"/api/subscriptions/{subscriptionId}/export"), 200);
    }

    /// <summary>Every record of a replica through the browse API (paged by <c>next</c>).</summary>
    public static async Task<List<JsonObject>> ReplicaItemsAsync(this TestNode follower, string subscriptionId, string? q = null)
    {
        using var admin = await follower.AdminAsync();
        var items = new List<JsonObject>();
        string? after = null;
        do
        {
            var url = $"/api/subscriptions/{subscriptionId}/records?limit=500" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}") + (q is null ? "" : $"&q={Uri.EscapeDataString(q)}");
            var page = await Http.Expect(await admin.GetAsync(url), 200);
            items.AddRange(page["items"]!.AsArray().Select(i => i!.AsObject()));
            after = (string?)page["next"];
        } while (after is not null);
        return items;
    }

    /// <summary>The owner's live shared records: id → (revision, data as stored, before exclusions).</summary>
    public static Dictionary<string, CoreRecord> OwnerShared(this TestNode owner, string slug)
    {
        var dataset = owner.Service<IDatasetStore>().Find(slug)!;
        var store = owner.Service<IRecordStore>();
        var all = new Dictionary<string, CoreRecord>();
        string? cursor = null;
        do
        {
            var page = store.Query(dataset.Key, new RecordQuery { IncludeUnshared = false, Limit = 500, Cursor = cursor });
            foreach (var r in page.Items) all[r.Id] = r;
            cursor = page.NextCursor;
        } while (cursor is not null);
        return all;
    }
}
