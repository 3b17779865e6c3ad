using System.Text.Json.Nodes;
using Commons.Core.Datasets;
using Commons.Core.Federation;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// What B refuses: every forgery below is answered "refused" and leaves the replica exactly as it was (nothing stored,
/// nothing replaced). Datasets X (<c>offers</c>) and Y (<c>needs</c>) both live on A; B follows both.
/// </summary>
public sealed class ForgeryTests : IDisposable
{
    private readonly ReplicationRig _rig = new();
    private readonly Dataset _x;
    private readonly Dataset _y;
    private readonly Subscription _subX;
    private readonly Subscription _subY;

    public ForgeryTests()
    {
        _x = _rig.Dataset("offers");
        _y = _rig.Dataset("needs");
        _subX = _rig.Subscribe("offers");
        _subY = _rig.Subscribe("needs");
    }

    public void Dispose() => _rig.Dispose();

    private string X => _rig.ActorOf("offers");
    private string Y => _rig.ActorOf("needs");

    /// <summary>A's signed Create of a new record of <paramref name="dataset"/>.</summary>
    private JsonObject Created(Dataset dataset, string id, string json = """{"title":"Salle à prêter"}""")
    {
        var (record, change) = _rig.Records.Create(ReplicationRig.Admin, dataset.Slug, id, ReplicationRig.Data(json));
        return _rig.Signed(dataset, change, record)!;
    }

    private static JsonObject Unsigned(JsonObject signed)
    {
        var copy = (JsonObject)signed.DeepClone();
        copy.Remove("proof");
        if (copy["object"] is JsonObject obj) obj.Remove("proof");
        return copy;
    }

    /// <summary>Signs the object, then the activity, with <paramref name="key"/> under the name <paramref name="verificationMethod"/>.</summary>
    private JsonObject SignedWith(JsonObject unsigned, Ed25519SigningKey key, string verificationMethod)
    {
        var options = new DataIntegrityProofOptions(verificationMethod, _rig.Clock.GetUtcNow());
        if (unsigned["object"] is JsonObject obj)
        {
            obj.Remove("proof");
            obj["proof"] = EddsaJcs2022Cryptosuite.CreateProof(obj, key, options);
        }
        unsigned.Remove("proof");
        unsigned["proof"] = EddsaJcs2022Cryptosuite.CreateProof(unsigned, key, options);
        return unsigned;
    }

    private Ed25519SigningKey KeyOf(string slug) => _rig.Keys.For(slug).Ed25519;

    private async Task Refused(Subscription subscription, JsonObject activity, string because)
    {
        var before = Snapshot();
        var outcome = await _rig.Applier.ApplyAsync(subscription, ReplicationRig.Element(activity), CancellationToken.None);
        Assert.StartsWith("refused", outcome);
        Assert.Contains(because, outcome);
        Assert.Equal(before, Snapshot());
    }

    private async Task RefusedByActor(string actor, JsonObject activity, string because)
    {
        var before = Snapshot();
        var outcome = await _rig.Applier.ApplyAsync(actor, ReplicationRig.Element(activity), CancellationToken.None);
        Assert.StartsWith("refused", outcome);
        Assert.Contains(because, outcome);
        Assert.Equal(before, Snapshot());
    }

    /// <summary>Everything both replicas hold: record id, revision, deleted, the signed object.</summary>
    private string Snapshot() => string.Join("\n", new[] { _subX.Id, _subY.Id }.SelectMany(s =>
        _rig.Replicas.List(s, null, 1000).Select(r => $"{s}|{r.RecordId}|{r.Revision}|{r.Deleted}|{r.SignedObject}")))
        + $"\n{_rig.Replicas.Count(_subX.Id)}/{_rig.Replicas.Count(_subY.Id)}";

    [Fact]
    public async Task The_genuine_activities_apply()
    {
        Assert.StartsWith("applied", await _rig.Applier.ApplyAsync(X, ReplicationRig.Element(Created(_x, "r1")), CancellationToken.None));
        Assert.StartsWith("applied", await _rig.Applier.ApplyAsync(Y, ReplicationRig.Element(Created(_y, "r1")), CancellationToken.None));
        Assert.Equal(1, _rig.Replicas.Count(_subX.Id));
        Assert.Equal(1, _rig.Replicas.Count(_subY.Id));
    }

    [Fact]
    public async Task A_record_whose_object_proof_fails_is_refused()
    {
        var held = Created(_x, "held");
        Assert.StartsWith("applied", await _rig.Applier.ApplyAsync(_subX, ReplicationRig.Element(held), CancellationToken.None));

        // commons:data changed after A signed: the activity's proof (which covers the embedded object) fails first…
        var tampered = Created(_x, "r1");
        tampered["object"]!["commons:data"]!["title"] = "Salle à vendre";
        await Refused(_subX, tampered, "the activity's proof");

        // …and when the forger re-signs the activity with A's key, the record's own proof still fails.
        var resigned = Created(_x, "r2");
        resigned["object"]!["commons:data"]!["title"] = "Salle à vendre";
        resigned.Remove("proof");
        _rig.Proofs.Sign("offers", resigned);
        await Refused(_subX, resigned, "the record's proof");

        // An update of a held record whose data was changed after signing does not replace it either.
        var (record, change) = _rig.Records.Update(ReplicationRig.Admin, "offers", "held", ReplicationRig.Data("""{"title":"v2"}"""), null, null);
        var update = _rig.Signed(_x, change, record)!;
        update["object"]!["commons:data"]!["title"] = "forged";
        update.Remove("proof");
        _rig.Proofs.Sign("offers", update);
        await Refused(_subX, update, "the record's proof");
        Assert.Equal(1, _rig.Replicas.Get(_subX.Id, "held")!.Revision);

        // A record without any proof.
        await Refused(_subX, Unsigned(Created(_x, "r3")), "MissingProof");
    }

    [Fact]
    public async Task An_activity_whose_own_proof_fails_is_refused()
    {
        var activity = Created(_x, "r1");
        activity["published"] = "2020-01-01T00:00:00Z";
        await Refused(_subX, activity, "the activity's proof");

        var deleted = Created(_x, "r2");
        var (tombstone, change) = _rig.Records.Delete(ReplicationRig.Admin, "offers", "r2", null);
        var delete = _rig.Signed(_x, change, tombstone)!;
        delete["type"] = "Update";
        await Refused(_subX, delete, "the activity's proof");
        Assert.NotNull(deleted);
    }

    [Fact]
    public async Task A_proof_by_another_datasets_key_is_refused()
    {
        // Y's record, signed with X's key under Y's key name: Y's published key does not verify it.
        var forged = SignedWith(Unsigned(Created(_y, "r1")), KeyOf("offers"), Y + "#ed25519-key");
        await Refused(_subY, forged, "the activity's proof");

        // Signed with X's key under X's name but sent as Y's: the key is not one of Y's.
        var named = SignedWith(Unsigned(Created(_y, "r2")), KeyOf("offers"), X + "#ed25519-key");
        await Refused(_subY, named, "the activity's proof");

        // Only the record object signed by X (the activity genuinely Y's): still refused.
        var mixed = Created(_y, "r3");
        var obj = (JsonObject)mixed["object"]!;
        obj.Remove("proof");
        obj["proof"] = EddsaJcs2022Cryptosuite.CreateProof(obj, KeyOf("offers"), new DataIntegrityProofOptions(X + "#ed25519-key", _rig.Clock.GetUtcNow()));
        mixed.Remove("proof");
        _rig.Proofs.Sign("needs", mixed);
        await Refused(_subY, mixed, "the record's proof");
    }

    [Fact]
    public async Task An_activity_replayed_from_another_dataset_is_refused()
    {
        var fromY = Created(_y, "r1");

        // Y's genuine activity delivered as X's.
        await Refused(_subX, fromY, "not the dataset's");
        await RefusedByActor(X, fromY, "not the dataset's");

        // Its actor rewritten to X: the object is still under Y (and the proof no longer holds).
        var rewritten = (JsonObject)fromY.DeepClone();
        rewritten["actor"] = X;
        await Refused(_subX, rewritten, "not one of this dataset's records");

        // Actor and object id rewritten to X's: Y's proofs do not name X's key.
        var moved = (JsonObject)fromY.DeepClone();
        moved["actor"] = X;
        moved["object"]!["id"] = X + "/records/r1";
        moved["object"]!["attributedTo"] = X;
        await Refused(_subX, moved, "proof");
    }

    [Fact]
    public async Task An_object_not_under_the_actors_url_is_refused()
    {
        foreach (var objectId in new[] { Y + "/records/r1", "https://elsewhere.example/datasets/offers/records/r1", X + "-evil/records/r1", X + "/changes/1", X + "/records/", X + "/records/a%2Fb" })
        {
            var activity = Unsigned(Created(_x, $"r{Guid.NewGuid():N}"[..10]));
            activity["object"]!["id"] = objectId;
            _rig.Proofs.SignActivity("offers", activity); // signed with X's own key: only the place is wrong
            await Refused(_subX, activity, objectId.EndsWith("/records/", StringComparison.Ordinal) || objectId.Contains("%2F", StringComparison.Ordinal) ? "malformed record id" : "not one of this dataset's records");
        }

        // A Note attributed to another actor.
        var attributed = Unsigned(Created(_x, "r2"));
        attributed["object"]!["attributedTo"] = Y;
        _rig.Proofs.SignActivity("offers", attributed);
        await Refused(_subX, attributed, "attributed to another actor");
    }

    [Fact]
    public async Task Nothing_is_stored_for_a_subscription_that_is_not_accepted()
    {
        var activity = Created(_x, "r1");
        foreach (var state in new[] { SubscriptionState.Pending, SubscriptionState.Rejected, SubscriptionState.Ended })
        {
            _rig.Subscriptions.Upsert(_subX with { State = state });
            await RefusedByActor(X, activity, "we do not follow this actor");
        }

        // A dataset we never followed at all.
        var z = _rig.Dataset("other");
        await RefusedByActor(_rig.ActorOf("other"), Created(z, "r1"), "we do not follow this actor");
    }

    [Fact]
    public async Task A_proof_whose_verification_method_is_not_the_actors_is_refused()
    {
        // "offers2" is a dataset whose actor URL starts with X's: its key is not X's key.
        _rig.Dataset("offers2");
        var cases = new (Ed25519SigningKey Key, string Method)[]
        {
            (KeyOf("offers2"), _rig.ActorOf("offers2") + "#ed25519-key"),
            (KeyOf("offers"), X + "2#ed25519-key"),
            (KeyOf("offers"), "https://elsewhere.example/datasets/offers#ed25519-key"),
            (KeyOf("offers"), X + "/records/r1#ed25519-key"),
            (KeyOf("offers"), X),
        };
        var n = 0;
        foreach (var (key, method) in cases)
        {
            var activity = SignedWith(Unsigned(Created(_x, $"r{n++}")), key, method);
            await Refused(_subX, activity, "the activity's proof");
        }

        // Only the object's proof by a key outside the actor.
        var mixed = Created(_x, "mixed");
        var obj = (JsonObject)mixed["object"]!;
        obj.Remove("proof");
        obj["proof"] = EddsaJcs2022Cryptosuite.CreateProof(obj, KeyOf("offers2"), new DataIntegrityProofOptions(_rig.ActorOf("offers2") + "#ed25519-key", _rig.Clock.GetUtcNow()));
        mixed.Remove("proof");
        _rig.Proofs.Sign("offers", mixed);
        await Refused(_subX, mixed, "the record's proof");
    }
}
