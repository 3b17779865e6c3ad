using System.Text.Json;
using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Json;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Nodes;
using Commons.Core.Records;
using Commons.Federation.Actors;
using Commons.Federation.PublicData;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Inbox;
using Commons.Federation.Replication;
using Commons.Node.Hosting;
using Commons.Node.Http;
using Commons.Platform;
using Microsoft.Extensions.Options;

namespace Commons.Node.Federation;

/// <summary>What peers see: discovery (WebFinger, NodeInfo, host-meta), actors, inboxes, records, outboxes, followers.</summary>
public static class FederationEndpoints
{
    public const int MaxInboxBodyBytes = 1024 * 1024;
    public const int MaxInboxJsonDepth = 64;
    private const int PageSize = 50;

    public static void Map(IEndpointRouteBuilder app)
    {
        var fed = app.MapGroup("").WithTags("Federation").AllowAnonymous().ExcludeFromDescription();

        fed.MapGet("/.well-known/webfinger", (string? resource, [FromServices] ActivityUris uris, IDatasetStore datasets) =>
        {
            if (!WebFingerDocuments.TryParseResource(resource, uris, out var username)) return Results.NotFound();
            if (username == ActivityUris.NodeUsername) return ActivityResults.Json(WebFingerDocuments.ForNode(uris), WebFingerDocuments.JrdContentType);
            return datasets.Find(username) is { Policy: not SharingPolicy.Private }
                ? ActivityResults.Json(WebFingerDocuments.ForDataset(username, uris), WebFingerDocuments.JrdContentType)
                : Results.NotFound();
        });
        fed.MapGet("/.well-known/host-meta", ([FromServices] ActivityUris uris) => Results.Text(WebFingerDocuments.HostMeta(uris), WebFingerDocuments.XrdContentType));
        fed.MapGet("/.well-known/nodeinfo", ([FromServices] ActivityUris uris) => Results.Json(NodeInfoDocuments.Discovery(uris)));
        fed.MapGet("/nodeinfo/2.1", (IMemberStore members, INodeStore node, [FromServices] ActivityUris uris) =>
            ActivityResults.Json(NodeInfoDocuments.NodeInfo(typeof(FederationEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.1.0", members.Count(), node.Get()?.Name ?? "",
                PublicDatasetsDocument.Url(uris)), NodeInfoDocuments.ContentType));
        PublicDatasetsEndpoint.Map(fed);

        fed.MapGet("/actor", ([FromServices] ActivityUris uris, ActorKeyring keys, INodeStore node) =>
        {
            var identity = node.Get();
            return ActivityResults.Activity(ActorDocuments.NodeActor(identity?.Name ?? "Commons Node", uris, keys.PublicKeysOf(ActorKeyring.NodeActor), identity?.CreatedAt));
        });

        fed.MapGet("/datasets/{slug}", async (HttpContext http, string slug, [FromServices] ActivityUris uris, ActorKeyring keys, IDatasetStore datasets, IRevocationStore revocations, SignedFetchAuthorizer authorizer, Commons.Federation.Views.DatasetViewRegistry views) =>
        {
            var dataset = datasets.Find(slug);
            if (dataset is null) return Results.NotFound();
            if (dataset.Policy != SharingPolicy.Private)
                return ActivityResults.Activity(ActorDocuments.DatasetActor(dataset, uris, keys.PublicKeysOf(slug), views: views.NamesFor(dataset.Kind)));
            // Private: only a revoked follower that has not confirmed its purge yet may see the actor (to verify the Reject).
            var signer = await authorizer.SignerAsync(http);
            return signer is not null && revocations.Of(slug, signer).Any(r => !r.Confirmed)
                ? ActivityResults.Activity(ActorDocuments.DatasetActor(dataset, uris, keys.PublicKeysOf(slug), forRevokedFollower: true))
                : Results.NotFound();
        });

        fed.MapPost("/inbox", (HttpContext http, InboxReceiver receiver) => Receive(http, receiver)).RequireRateLimiting(FederationRateLimits.Inbox);
        fed.MapPost("/actor/inbox", (HttpContext http, InboxReceiver receiver) => Receive(http, receiver)).RequireRateLimiting(FederationRateLimits.Inbox);
        fed.MapPost("/datasets/{slug}/inbox", (HttpContext http, string slug, IDatasetStore datasets, InboxReceiver receiver) =>
            datasets.Find(slug) is { Policy: not SharingPolicy.Private } ? Receive(http, receiver) : Task.FromResult(Results.NotFound()))
            .RequireRateLimiting(FederationRateLimits.Inbox);

        fed.MapGet("/datasets/{slug}/records/{id}", async (HttpContext http, string slug, string id, IDatasetStore datasets, IRecordStore records, [FromServices] ActivityUris uris, ObjectProofs proofs, SignedFetchAuthorizer authorizer) =>
        {
            if (datasets.Find(slug) is not { Policy: not SharingPolicy.Private } dataset || !await authorizer.MayReadAsync(http, dataset)) return Results.NotFound();
            var record = records.Get(dataset.Key, id);
            if (record is null || !record.Shared) return Results.NotFound();
            if (record.Deleted) return Results.Text(RecordObjects.Tombstone(id, dataset, uris, record.DeletedAt ?? record.UpdatedAt, withContext: true).ToJsonString(), ActivityResults.ActivityJson, statusCode: 410);
            return ActivityResults.Activity(proofs.Sign(slug, RecordObjects.Note(record, dataset, uris)));
        });

        // The outbox is also the backfill feed: ?page=N gives the dataset's state after change N (see BackfillFeed),
        // as JSON or, on request, as a compressed MessagePack batch (v2 or v1, BackfillBatch).
        fed.MapGet("/datasets/{slug}/outbox", async (HttpContext http, string slug, long? page, int? limit, IDatasetStore datasets, IRecordStore records, [FromServices] ActivityUris uris, BackfillFeed backfill, SignedFetchAuthorizer authorizer) =>
        {
            if (datasets.Find(slug) is not { Policy: not SharingPolicy.Private } dataset || !await authorizer.MayReadAsync(http, dataset)) return Results.NotFound();
            var outbox = uris.DatasetOutbox(slug);
            // The records it shares, not the feed's length: changes of unshared records and of settings are nobody's business outside.
            if (page is null)
                return ActivityResults.Activity(CollectionDocuments.OrderedCollection(outbox, DatasetDigest.SharedCount(records, dataset), $"{outbox}?page=0"));
            var pageSize = PageLimit.Check(limit, BackfillFeed.DefaultPageSize, BackfillFeed.MaxPageSize);
            // v2 (the signed record objects alone) to a follower that names it; v1 (the signed activities) to one of an earlier
            // release, which names only that; the public JSON page to anyone else.
            var batch = BackfillBatch.Negotiate(http.Request.Headers.Accept.ToString());
            if (batch == BackfillBatch.RecordObjectsMediaType)
                return Results.Bytes(BackfillBatch.Encode(backfill.ReadRecordObjects(dataset, page.Value, pageSize)), batch);
            var result = backfill.Read(dataset, page.Value, pageSize);
            if (batch == BackfillBatch.MediaType)
                return Results.Bytes(BackfillBatch.Encode(result), batch);
            return Results.Bytes(BackfillPageJson.Write(result, outbox, page.Value), BackfillPageJson.ContentType);
        }).CheckQuery(QueryValue.Long("page"), QueryValue.Int("limit"));

        fed.MapGet("/datasets/{slug}/digest", async (HttpContext http, string slug, IDatasetStore datasets, IRecordStore records, SignedFetchAuthorizer authorizer) =>
        {
            if (datasets.Find(slug) is not { Policy: not SharingPolicy.Private } dataset || !await authorizer.MayReadAsync(http, dataset)) return Results.NotFound();
            var digest = DatasetDigest.Of(records, dataset);
            return Results.Json(new Dictionary<string, object> { [ActivityStreamsContext.Count] = digest.Count, [ActivityStreamsContext.Digest] = digest.Hash });
        });

        fed.MapGet("/datasets/{slug}/followers", async (HttpContext http, string slug, IDatasetStore datasets, IFollowerStore followers, [FromServices] ActivityUris uris, SignedFetchAuthorizer authorizer) =>
        {
            if (datasets.Find(slug) is not { Policy: not SharingPolicy.Private } dataset || !await authorizer.MayReadAsync(http, dataset)) return Results.NotFound();
            // The count only: who follows a dataset is not shared.
            return ActivityResults.Activity(CollectionDocuments.OrderedCollection(uris.DatasetFollowers(slug), followers.List(slug, FollowerState.Accepted).Count, null));
        });

        fed.MapGet("/datasets/{slug}/following", async (HttpContext http, string slug, IDatasetStore datasets, [FromServices] ActivityUris uris, SignedFetchAuthorizer authorizer) =>
            datasets.Find(slug) is { Policy: not SharingPolicy.Private } dataset && await authorizer.MayReadAsync(http, dataset)
                ? ActivityResults.Activity(CollectionDocuments.OrderedCollection(uris.DatasetFollowing(slug), 0, null))
                : Results.NotFound());

        DatasetViewEndpoints.Map(fed);

        fed.MapGet("/datasets/{slug}/changes/{seq}", async (HttpContext http, string slug, string seq, IDatasetStore datasets, ChangeActivityLookup changes, SignedFetchAuthorizer authorizer) =>
        {
            if (datasets.Find(slug) is not { Policy: not SharingPolicy.Private } dataset || !await authorizer.MayReadAsync(http, dataset)) return Results.NotFound();
            if (!long.TryParse(seq, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)) return Results.NotFound();
            return changes.Find(dataset, number) is { } activity ? ActivityResults.Activity(activity) : Results.NotFound();
        });
    }

    private static async Task<IResult> Receive(HttpContext http, InboxReceiver receiver)
    {
        if (http.Request.ContentLength is > MaxInboxBodyBytes) return Problem(413, "the activity is larger than 1 MiB", ProblemCodes.PayloadTooLarge);
        var buffer = new MemoryStream();
        try
        {
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return Problem(413, "the activity is larger than 1 MiB", ProblemCodes.PayloadTooLarge);
        }
        if (buffer.Length > MaxInboxBodyBytes) return Problem(413, "the activity is larger than 1 MiB", ProblemCodes.PayloadTooLarge);
        var body = buffer.ToArray();
        if (StrictJson.TryParse(body, MaxInboxJsonDepth, out var error) is not { } doc)
            return Problem(400, error!.Path is null ? error.Message : $"{error.Path}: {error.Message}", error.Code);
        using (doc)
        {
            var options = http.RequestServices.GetRequiredService<IOptions<NodeOptions>>().Value;
            var scheme = new Uri(FederationServices.PublicUrl(options, http.RequestServices.GetRequiredService<IConfiguration>())).Scheme;
            var result = await receiver.ReceiveAsync(AspNetSignableRequest.From(http.Request, body, scheme), doc.RootElement, http.RequestAborted);
            return result.Verdict switch
            {
                InboxVerdict.Accepted or InboxVerdict.Duplicate => Results.StatusCode(202),
                InboxVerdict.Unauthorized => Problem(401, result.Detail, ProblemCodes.SignatureInvalid),
                InboxVerdict.Forbidden => Problem(403, result.Detail, ProblemCodes.DomainBlocked),
                _ => Problem(400, result.Detail, ProblemCodes.NotAnActivity),
            };
        }
    }

    private static IResult Problem(int status, string detail, string code) =>
        Results.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { [ProblemMapping.CodeField] = code });
}
