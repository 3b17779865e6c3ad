using System.Text.Json;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Core.Members;
using Commons.Core.Tokens;

namespace Commons.Storage.Tests.Contract;

/// <summary>Valid domain objects for the contract tests, each with every field a store must keep set to a telling value.</summary>
public static class Samples
{
    public static readonly DateTimeOffset At = new(2026, 5, 4, 10, 30, 0, TimeSpan.Zero);

    public static JsonElement JsonOf(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    public static Member Member(string username, MemberRole role = MemberRole.Member) => new()
    {
        Username = username, DisplayName = $"{username} (display)", PasswordHash = "hash-" + username, Role = role,
        SecurityStamp = "stamp-" + username, MustChangePassword = true, CreatedAt = At, PreferredLanguage = "nl",
    };

    public static Dataset Dataset(string slug) => new()
    {
        Slug = slug, Title = new LocalizedText("Salles " + slug, "Zalen " + slug, "Rooms " + slug), Description = new LocalizedText("d", null, "e"),
        Schema = """{ "type": "object" }""", License = "CC-BY-4.0", Policy = SharingPolicy.Peers, AllowedPeers = ["peer.example"],
        ExcludedFields = ["phone"], Grants = [new DatasetGrant("ana", GrantRole.Editor)], CreatedAt = At, CreatedBy = "ana", UpdatedAt = At, Version = 1,
    };

    public static AccessToken Token(string id, string username) => new()
    {
        Id = id, Username = username, Name = "script " + id, SecretHash = "secret-" + id, Scopes = TokenScopes.Read | TokenScopes.Write,
        CreatedAt = At, ExpiresAt = At.AddDays(30),
    };

    public static RefreshToken Refresh(string id, string username) => new()
    {
        Id = id, Username = username, SecretHash = "rs-" + id, SecurityStamp = "stamp", ExpiresAt = At.AddDays(1),
    };

    public static Invitation Invitation(string id) => new()
    {
        Id = id, TokenHash = new string('a', 64), Role = MemberRole.Member, CreatedBy = "root", CreatedAt = At, ExpiresAt = At.AddDays(7),
    };

    public static Follower Follower(string slug, string actor, FollowerState state = FollowerState.Accepted) => new()
    {
        DatasetSlug = slug, ActorUri = actor, Inbox = actor + "/inbox", SharedInbox = "https://peer.example/inbox",
        FollowActivityId = actor + "/follows/1", State = state, Since = At, ApprovedBy = "ana",
    };

    public static Subscription Subscription(string id, string actor) => new()
    {
        Id = id, DatasetActor = actor, Handle = "tools@peer.example", Inbox = actor + "/inbox", Name = "Outils", NameMap = new("Outils", "Gereedschap", null),
        FollowActivityId = "https://here.example/follows/" + id, State = SubscriptionState.Accepted, RequestedBy = "ana", Since = At,
        BackfillAfter = 3, BackfillDone = true, BackfillDoneAt = At, BackfillFailures = 2, BackfillRetryAt = At.AddMinutes(5), BackfillError = "timeout",
    };

    public static DeliveryItem Delivery(string id, DateTimeOffset next, string inbox = "https://peer.example/inbox") => new()
    {
        Id = id, Inbox = inbox, Sender = "rooms", ActivityJson = """{"type":"Create"}""", ActivityType = "Create", CreatedAt = At, NextAttemptAt = next,
    };

    public static InboxEntry Inbox(string id, DateTimeOffset received) => new()
    {
        ActivityId = id, ActorUri = "https://peer.example/actor", Json = """{"type":"Follow"}""", ReceivedAt = received,
    };

    public static ActorKeys Keys(string actor) => new()
    {
        Actor = actor, RsaPrivatePkcs8 = [1, 2, 3], RsaPublicPem = "-----BEGIN PUBLIC KEY-----", Ed25519Seed = [4, 5, 6], CreatedAt = At, Generation = 2,
        Retired = [new RetiredKey(1, "old-pem", "z6Mk-old", At.AddDays(-1))],
    };

    public static ReplicaRecord Replica(string subscription, string recordId, long revision, string json = """{ "tool": "scie" }""", bool deleted = false) => new()
    {
        SubscriptionId = subscription, RecordId = recordId, ObjectUri = $"https://peer.example/records/{recordId}", Revision = revision,
        Deleted = deleted, Data = deleted ? default : JsonOf(json), Name = "scie", ReceivedAt = At.AddSeconds(revision), ActivityId = $"https://peer.example/a/{recordId}/{revision}",
        SignedObject = """{"proof":{}}""", ProofVerified = true,
    };

    public static Revocation Revocation(string rejectId, string slug, string actor) => new()
    {
        RejectActivityId = rejectId, DatasetSlug = slug, ActorUri = actor, RevokedAt = At, Reason = RevocationReasons.RemovedByASteward,
    };
}
