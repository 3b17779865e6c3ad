using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Replication;

/// <summary>
/// FEP-8b32 proofs (eddsa-jcs-2022) on what an actor of ours publishes: a dataset's record objects (Note or Tombstone)
/// first, then the activity that carries them, and its Accept, Reject and actor Update; the node actor's Update. Each is
/// signed by the actor's current Ed25519 key (<c>{actor}#ed25519-key</c>, after a rotation <c>#ed25519-key-{generation}</c>).
/// A replica keeps the signed object, so anyone can later check offline that the record came from that dataset.
/// </summary>
public sealed class ObjectProofs(ActorKeyring keys, ActivityUris uris, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, string> _lastMethods = new(StringComparer.Ordinal);

    /// <summary>The proofs of the record activities signed through <see cref="SignActivity(string, JsonObject, RecordProofKey)"/>.</summary>
    public RecordProofCache Kept { get; } = new();

    /// <summary>Signs the embedded object of a dataset activity, then the activity itself. Returns the same instance.</summary>
    public JsonObject SignActivity(string slug, JsonObject activity)
    {
        if (activity["object"] is JsonObject obj)
        {
            activity.Remove("object");
            activity["object"] = Sign(slug, obj);
        }
        return Sign(slug, activity);
    }

    /// <summary>
    /// Drops the kept proofs once the dataset's key has been rotated: they are never written again (<see cref="SignActivity(string, JsonObject, RecordProofKey)"/>
    /// asks for the current key's), and need not be held. Called once per page, before its items are signed in parallel.
    /// </summary>
    public void ForgetRetiredProofs(string slug)
    {
        var method = ActivityUris.KeyId(uris.DatasetActor(slug), keys.For(slug).Ed25519Fragment);
        if (_lastMethods.TryGetValue(slug, out var last) && last != method) Kept.Clear();
        _lastMethods[slug] = method;
    }

    /// <summary>
    /// <see cref="SignActivity(string, JsonObject)"/> for the activity of a record's state that <paramref name="state"/> names
    /// (built from it alone): proofs kept for that state by the dataset's current key are written again, others signed and kept.
    /// </summary>
    public JsonObject SignActivity(string slug, JsonObject activity, RecordProofKey state)
    {
        var loaded = keys.For(slug);
        var key = loaded.Ed25519;
        var method = ActivityUris.KeyId(uris.DatasetActor(slug), loaded.Ed25519Fragment);
        var kept = Kept.Find(state, method);
        var objectProof = (Created: default(DateTimeOffset), Signature: Array.Empty<byte>());
        if (activity["object"] is JsonObject obj)
        {
            activity.Remove("object");
            objectProof = Prove(obj, key, method, kept is null ? null : (kept.ObjectCreated, kept.ObjectSignature));
            activity["object"] = obj;
        }
        var keptActivity = kept is { ActivityCreated: { } created, ActivitySignature: { } signature } ? (created, signature) : ((DateTimeOffset, byte[])?)null;
        var activityProof = Prove(activity, key, method, keptActivity);
        // Kept whole, or completed when only the record object's proof was kept (a v2 batch signed it alone).
        if (keptActivity is null) Kept.Keep(state, new KeptProofs(method, objectProof.Created, objectProof.Signature, activityProof.Created, activityProof.Signature));
        return activity;
    }

    /// <summary>
    /// Signs a record object alone (for a v2 batch, <see cref="BackfillBatch.RecordObjectsMediaType"/>) for the state that
    /// <paramref name="state"/> names: the proof kept for that state by the dataset's current key is written again (the
    /// object is the one its activity embeds, so either's kept proof serves), otherwise a new one is made and kept.
    /// </summary>
    public JsonObject SignRecordObject(string slug, JsonObject recordObject, RecordProofKey state)
    {
        var loaded = keys.For(slug);
        var method = ActivityUris.KeyId(uris.DatasetActor(slug), loaded.Ed25519Fragment);
        var kept = Kept.Find(state, method);
        var proof = Prove(recordObject, loaded.Ed25519, method, kept is null ? null : (kept.ObjectCreated, kept.ObjectSignature));
        if (kept is null) Kept.Keep(state, new KeptProofs(method, proof.Created, proof.Signature, null, null));
        return recordObject;
    }

    /// <summary>Puts a proof on <paramref name="target"/>: the kept signature written again, or a new one made now.</summary>
    private (DateTimeOffset Created, byte[] Signature) Prove(JsonObject target, Ed25519SigningKey key, string method, (DateTimeOffset Created, byte[] Signature)? kept)
    {
        target.Remove("proof");
        if (kept is { } k)
        {
            target["proof"] = EddsaJcs2022Cryptosuite.ProofOf(target, new DataIntegrityProofOptions(method, k.Created), k.Signature);
            return k;
        }
        var options = new DataIntegrityProofOptions(method, clock.GetUtcNow());
        target["proof"] = EddsaJcs2022Cryptosuite.CreateProof(target, key, options, out var signature);
        return (options.Created, signature);
    }

    /// <summary>Adds a proof by the key of <paramref name="actor"/> (a dataset slug or <see cref="ActorKeyring.NodeActor"/>)
    /// to <paramref name="document"/>, replacing any proof it had. Returns the same instance.</summary>
    public JsonObject Sign(string actor, JsonObject document)
    {
        var loaded = keys.For(actor);
        document.Remove("proof");
        var actorUri = actor == ActorKeyring.NodeActor ? uris.NodeActor : uris.DatasetActor(actor);
        var method = ActivityUris.KeyId(actorUri, loaded.Ed25519Fragment);
        var proof = EddsaJcs2022Cryptosuite.CreateProof(document, loaded.Ed25519, new DataIntegrityProofOptions(method, clock.GetUtcNow()));
        document["proof"] = proof;
        return document;
    }
}
