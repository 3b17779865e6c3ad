using Commons.Core.Access;
using Commons.Core.Datasets;
using Commons.Core.Errors;
using Commons.Core.Federation;
using Commons.Federation.Delivery;
using Commons.Federation.Following;
using Commons.Federation.Replication;
using Commons.Node.Auth;
using Commons.Node.Hosting.OpenApi;
using Commons.Node.Http;

namespace Commons.Node.Federation;

public sealed record FollowRequestBody(string Target);
public sealed record ActorBody(string Actor);
/// <summary>A subscription as the API shows it; <c>backfillError</c> and <c>backfillRetryAt</c> say why and until when a backfill is backing off (or why it stopped);
/// <c>policy</c> is the remote dataset's sharing policy as its actor last said (null when it did not say); <c>kind</c> its
/// kind (<c>place.resources</c>; null for a custom dataset).</summary>
public sealed record SubscriptionResponse(string Id, string DatasetActor, string? Handle, string? Name, SharingPolicy? Policy, SubscriptionState State, string RequestedBy, DateTimeOffset Since, DateTimeOffset? ChangedAt, string? Reason, long Records, long BackfillAfter, bool BackfillDone, string? BackfillError, DateTimeOffset? BackfillRetryAt, string? Kind)
{
    public static SubscriptionResponse From(Subscription s, long records) =>
        new(s.Id, s.DatasetActor, s.Handle, s.Name, s.Policy, s.State, s.RequestedBy, s.Since, s.ChangedAt, s.Reason, records, s.BackfillAfter, s.BackfillDone, s.BackfillError, s.BackfillRetryAt, s.Kind);

    public static SubscriptionResponse From(FollowedDataset f) => From(f.Subscription, f.Records);
}
/// <summary>A replicated record with its provenance: where it comes from, its revision, when it came, whether its proof verified.</summary>
public sealed record ReplicaResponse(string Id, string ObjectUri, string Origin, long Revision, string? Name, System.Text.Json.JsonElement Data, DateTimeOffset ReceivedAt, bool ProofVerified);
public sealed record DigestResponse(long Count, string Hash);
public sealed record VerifyResponse(bool Equal, DigestResponse Local, DigestResponse Remote, bool ResyncStarted);
public sealed record FollowerResponse(string Actor, string Host, FollowerState State, DateTimeOffset Since);
/// <summary>A revoked follower: when and why, and when it confirmed deleting its replica (<c>confirmation</c>: its activity id).</summary>
public sealed record RevocationResponse(string Actor, string Host, DateTimeOffset RevokedAt, string Reason, DateTimeOffset? PurgedAt, string? Confirmation)
{
    public static RevocationResponse From(Revocation r) => new(r.ActorUri, r.Host, r.RevokedAt, r.Reason, r.PurgedAt, r.ConfirmationId);
}
public sealed record DeliveryResponse(string Id, string Inbox, string Sender, string? ActivityType, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, string? LastError, bool Dead);

/// <summary>
/// The member API of federation: subscriptions (what we follow), followers and requests (who follows us), deliveries.
/// Each endpoint reads its input, asks the service (which decides who may) and shapes the answer.
/// </summary>
public static class FederationApiEndpoints
{
    public static void Map(IEndpointRouteBuilder api)
    {
        var subs = api.MapGroup("/subscriptions").WithTags("Subscriptions");
        subs.MapGet("", (HttpContext http, SubscriptionService subscriptions) =>
            subscriptions.Overview(http.Caller()).Select(SubscriptionResponse.From).ToList())
            .ForAnySignedInCaller().WithSummary("The remote datasets this node follows, with their state.");

        subs.MapPost("", async (HttpContext http, SubscriptionService subscriptions, FederationGate gate) =>
        {
            var caller = http.Caller();
            // Rights before the gate and the body: a read-only token is refused even while federation is off.
            SubscriptionService.RequireChange(caller);
            gate.EnsureOpen();
            var body = await JsonBody.ReadAsync<FollowRequestBody>(http);
            var s = await subscriptions.FollowAsync(caller, body.Target, http.RequestAborted);
            return Results.Created($"/api/subscriptions/{s.Id}", SubscriptionResponse.From(s, 0));
        }).Accepts<FollowRequestBody>("application/json").Produces<SubscriptionResponse>(201).ProducesProblem(503)
            .WithSummary("Follow a remote dataset by handle (offers@host) or URL (503 public_url_missing while the node does not federate).");

        subs.MapGet("/{id}", (HttpContext http, string id, SubscriptionService subscriptions) =>
            SubscriptionResponse.From(subscriptions.Followed(http.Caller(), id)))
            .ForAnySignedInCaller().WithSummary("One followed dataset, with its state.");

        subs.MapDelete("/{id}", (HttpContext http, string id, SubscriptionService subscriptions) =>
        {
            subscriptions.Unfollow(http.Caller(), id);
            return Results.NoContent();
        }).Produces(204).WithSummary("Unfollow: the owner is told, the replica is deleted.");

        subs.MapGet("/{id}/records", (HttpContext http, string id, string? after, string? q, int? limit, SubscriptionService subscriptions) =>
        {
            var caller = http.Caller();
            var pageSize = PageLimit.Check(limit, 50, 500);
            var (s, items) = subscriptions.Records(caller, id, after, pageSize, q);
            var next = items.Count == pageSize ? items[^1].RecordId : null;
            return new Api.PageResponse<ReplicaResponse>(items.Select(r => new ReplicaResponse(r.RecordId, r.ObjectUri, s.DatasetActor, r.Revision, r.Name, r.Data, r.ReceivedAt, r.ProofVerified)).ToList(), next);
        }).CheckQuery(QueryValue.Int("limit")).ForAnySignedInCaller().WithSummary("Browse and search the replica of a followed dataset (q: accent-insensitive text), with each record's provenance.");

        subs.MapPost("/{id}/verify", async (HttpContext http, string id, SubscriptionService subscriptions) =>
        {
            var o = await subscriptions.VerifyAsync(http.Caller(), id, http.RequestAborted);
            return new VerifyResponse(o.Equal, new DigestResponse(o.Local.Count, o.Local.Hash), new DigestResponse(o.Remote.Count, o.Remote.Hash), o.ResyncStarted);
        }).Produces<VerifyResponse>().ProducesProblem(409).WithSummary("Compare the replica with the origin's digest (count and hash over id+revision); a mismatch resyncs.");

        subs.MapGet("/{id}/export", async (HttpContext http, string id, SubscriptionService subscriptions) =>
        {
            var doc = await subscriptions.ExportAsync(http.Caller(), id, http.RequestAborted);
            return ActivityResults.Json(doc, "application/json");
        }).Produces<System.Text.Json.JsonElement>(200, "application/json").ForAnySignedInCaller().WithSummary("The replica with its proofs and the origin's keys, verifiable offline ('commons-node replica check FILE').");

        var followers = api.MapGroup("/datasets/{slug}/followers").WithTags("Followers");
        followers.MapGet("", (HttpContext http, string slug, string? state, FollowerService service) =>
        {
            var caller = http.Caller();
            // Rights first: a bad filter on a dataset the caller may not manage is still not found, or forbidden.
            service.Stewarded(caller, slug);
            FollowerState? filter = state switch
            {
                null or "" => null,
                "pending" => FollowerState.Pending,
                "accepted" => FollowerState.Accepted,
                _ => throw ValidationException.For("state", "pending or accepted"),
            };
            return service.List(caller, slug, filter).Select(f => new FollowerResponse(f.ActorUri, f.Host, f.State, f.Since)).ToList();
        }).WithSummary("Followers and pending follow requests of a dataset (stewards).");

        followers.MapPost("/accept", async (HttpContext http, string slug, FollowerService service) =>
        {
            var caller = http.Caller();
            service.Stewarded(caller, slug);
            var body = await JsonBody.ReadAsync<ActorBody>(http);
            var f = service.Accept(caller, slug, body.Actor);
            return new FollowerResponse(f.ActorUri, f.Host, f.State, f.Since);
        }).Accepts<ActorBody>("application/json").WithSummary("Accept a pending follow request (stewards).");

        foreach (var (action, summary, act) in new (string, string, Action<FollowerService, Caller, string, string>)[]
        {
            ("refuse", "Refuse a pending follow request (stewards).", (s, caller, slug, actor) => s.Refuse(caller, slug, actor)),
            ("remove", "Remove a follower: delivery stops and the peer is told (stewards).", (s, caller, slug, actor) => s.Remove(caller, slug, actor)),
        })
        {
            followers.MapPost($"/{action}", async (HttpContext http, string slug, FollowerService service) =>
            {
                var caller = http.Caller();
                service.Stewarded(caller, slug);
                var body = await JsonBody.ReadAsync<ActorBody>(http);
                act(service, caller, slug, body.Actor);
                return Results.NoContent();
            }).Accepts<ActorBody>("application/json").Produces(204).WithSummary(summary);
        }

        api.MapGet("/datasets/{slug}/revocations", (HttpContext http, string slug, FollowerService service) =>
            service.Revocations(http.Caller(), slug).Select(RevocationResponse.From).ToList())
            .WithTags("Followers").WithSummary("Followers removed or no longer allowed, and whether they confirmed deleting their replica (stewards).");

        var deliveries = api.MapGroup("/admin/deliveries").WithTags("Administration");
        deliveries.MapGet("", (HttpContext http, bool? dead, DeliveryAdmin admin) =>
            admin.List(http.Caller(), dead ?? false, 500).Select(d => new DeliveryResponse(d.Id, d.Inbox, d.Sender, d.ActivityType, d.Attempts, d.CreatedAt, d.NextAttemptAt, d.LastError, d.Dead)).ToList())
            .CheckQuery(QueryValue.Bool("dead")).WithSummary("Deliveries waiting (dead=true: given up) (administrators).");

        deliveries.MapPost("/{id}/retry", (HttpContext http, string id, DeliveryAdmin admin) =>
        {
            admin.Retry(http.Caller(), id);
            return Results.NoContent();
        }).Produces(204).WithSummary("Retry a delivery now, dead letters included (administrators).");
    }
}
