using System.CommandLine;
using Commons.Core.Federation;
using Commons.Federation.Actors;
using Commons.Federation.Delivery;
using Commons.Federation.Following;

namespace Commons.Node.Cli;

/// <summary>Following remote datasets, answering follow requests, the delivery queue and key rotation.</summary>
internal static class FederationCommands
{
    public static IEnumerable<Command> Build(Func<CliContext> context)
    {
        var target = new Argument<string>("target") { Description = "A dataset handle (offers@commons.example.org) or its URL." };
        var follow = new Command("follow", "Follow a remote dataset (the owner's policy answers).") { target };
        follow.SetAction(async (p, ct) =>
        {
            var c = context();
            c.Get<Commons.Node.Federation.FederationGate>().EnsureOpen();
            var s = await c.Get<SubscriptionService>().FollowAsync(CliContext.Operator, p.GetValue(target)!, ct);
            c.Out.WriteLine($"subscription {s.Id} to {s.Handle ?? s.DatasetActor}: {s.State.ToString().ToLowerInvariant()}");
            return 0;
        });

        var subscriptionId = new Argument<string>("id") { Description = "The subscription id (see 'following')." };
        var unfollow = new Command("unfollow", "Unfollow a remote dataset; its replica is deleted.") { subscriptionId };
        unfollow.SetAction(p =>
        {
            var c = context();
            var kept = c.Get<SubscriptionService>().Unfollow(CliContext.Operator, p.GetValue(subscriptionId)!);
            c.Out.WriteLine(kept ? "unfollowed; replica kept (Federation:KeepReplicaOnUnfollow)" : "unfollowed; replica deleted");
            return 0;
        });

        var following = new Command("following", "The remote datasets this node follows.");
        following.SetAction(p =>
        {
            var c = context();
            c.Out.WriteLine($"{"ID",-33} {"STATE",-9} {"RECORDS",8} DATASET");
            foreach (var (s, records) in c.Get<SubscriptionService>().Overview(CliContext.Operator))
                c.Out.WriteLine($"{s.Id,-33} {s.State.ToString().ToLowerInvariant(),-9} {records,8} {s.Handle ?? s.DatasetActor}{(s.Reason is null ? "" : $" ({s.Reason})")}{(s.BackfillRetryAt is { } retryAt ? $" (backfill paused until {retryAt:yyyy-MM-dd HH:mm:ss}Z: {s.BackfillError})" : "")}");
            return 0;
        });

        var slug = new Argument<string>("dataset") { Description = "The dataset's slug." };
        var requests = new Command("requests", "Pending follow requests of a dataset.") { slug };
        requests.SetAction(p => ListFollowers(context(), p.GetValue(slug)!, FollowerState.Pending));
        var followersSlug = new Argument<string>("dataset");
        var followers = new Command("followers", "Accepted followers of a dataset.") { followersSlug };
        followers.SetAction(p => ListFollowers(context(), p.GetValue(followersSlug)!, FollowerState.Accepted));

        var revocationsSlug = new Argument<string>("dataset");
        var revocations = new Command("revocations", "Followers removed or no longer allowed, and whether they confirmed deleting their replica.") { revocationsSlug };
        revocations.SetAction(p =>
        {
            var c = context();
            c.Out.WriteLine($"{"REVOKED",-20} {"REASON",-28} ACTOR: PURGE");
            foreach (var r in c.Get<FollowerService>().Revocations(CliContext.Operator, p.GetValue(revocationsSlug)!))
            {
                var purge = r.PurgedAt is { } at ? $"purged by {r.Host} at {at:yyyy-MM-dd HH:mm:ss}" : "not yet confirmed";
                c.Out.WriteLine($"{r.RevokedAt:yyyy-MM-dd HH:mm:ss} {r.Reason,-28} {r.ActorUri}: {purge}");
            }
            return 0;
        });

        var answers = new List<Command>();
        foreach (var (name, description, act) in new (string, string, Action<FollowerService, string, string>)[]
        {
            ("accept", "Accept a pending follow request.", (m, s, a) => m.Accept(CliContext.Operator, s, a)),
            ("refuse", "Refuse a pending follow request.", (m, s, a) => m.Refuse(CliContext.Operator, s, a)),
            ("remove-follower", "Remove a follower: delivery stops and it must delete its replica.", (m, s, a) => m.Remove(CliContext.Operator, s, a)),
        })
        {
            var ds = new Argument<string>("dataset");
            var actor = new Argument<string>("actor") { Description = "The follower's actor URL (see 'requests' / 'followers')." };
            var command = new Command(name, description) { ds, actor };
            command.SetAction(p =>
            {
                var c = context();
                act(c.Get<FollowerService>(), p.GetValue(ds)!, p.GetValue(actor)!);
                c.Out.WriteLine($"{name}: {p.GetValue(actor)} on {p.GetValue(ds)}");
                return 0;
            });
            answers.Add(command);
        }

        var dead = new Option<bool>("--dead") { Description = "Show the given-up deliveries (dead letters)." };
        var deliveries = new Command("deliveries", "The delivery queue.") { dead };
        deliveries.SetAction(p =>
        {
            var c = context();
            var items = c.Get<DeliveryAdmin>().List(CliContext.Operator, p.GetValue(dead), 500);
            c.Out.WriteLine($"{"ID",-33} {"TYPE",-8} {"TRIES",5} {"NEXT",-20} INBOX (LAST ERROR)");
            foreach (var d in items)
                c.Out.WriteLine($"{d.Id,-33} {d.ActivityType ?? "?",-8} {d.Attempts,5} {d.NextAttemptAt:yyyy-MM-dd HH:mm:ss} {d.Inbox}{(d.LastError is null ? "" : $" ({d.LastError})")}");
            return 0;
        });
        var deliveryId = new Argument<string>("id");
        var retry = new Command("retry", "Retry a delivery now, a dead letter included.") { deliveryId };
        retry.SetAction(p =>
        {
            var c = context();
            c.Get<DeliveryAdmin>().Retry(CliContext.Operator, p.GetValue(deliveryId)!);
            c.Out.WriteLine("queued again");
            return 0;
        });
        deliveries.Add(retry);
        var retryDead = new Command("retry-dead", "Retry every dead letter now.");
        retryDead.SetAction(p =>
        {
            var c = context();
            var retried = c.Get<DeliveryAdmin>().RetryAllDead(CliContext.Operator);
            c.Out.WriteLine($"{retried} dead letters queued again");
            return 0;
        });
        deliveries.Add(retryDead);
        var discardId = new Argument<string>("id");
        var discard = new Command("discard", "Discard a dead letter for good (a live delivery cannot be discarded).") { discardId };
        discard.SetAction(p =>
        {
            var c = context();
            c.Get<DeliveryAdmin>().Discard(CliContext.Operator, p.GetValue(discardId)!);
            c.Out.WriteLine("discarded");
            return 0;
        });
        deliveries.Add(discard);

        var keys = new Command("keys", "The actors' signing keys.");
        var actorName = new Argument<string>("actor") { Description = "A dataset slug, or _node for the node itself." };
        var rotate = new Command("rotate", "New key pairs, published with an Update of the actor; the old key stays published for a grace period.") { actorName };
        rotate.SetAction(p =>
        {
            var c = context();
            var (generation, notified) = c.Get<KeyRotation>().Rotate(p.GetValue(actorName)!);
            c.Out.WriteLine($"keys of {p.GetValue(actorName)} rotated (generation {generation}); {notified} inboxes will be told");
            return 0;
        });
        keys.Add(rotate);

        return [follow, unfollow, following, requests, followers, revocations, .. answers, deliveries, keys];
    }

    private static int ListFollowers(CliContext c, string slug, FollowerState state)
    {
        c.Out.WriteLine($"{"SINCE",-20} ACTOR");
        foreach (var f in c.Get<FollowerService>().List(CliContext.Operator, slug, state))
            c.Out.WriteLine($"{f.Since:yyyy-MM-dd HH:mm:ss} {f.ActorUri}");
        return 0;
    }
}
