using System.Text.Json.Nodes;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Integrity;

namespace Commons.Federation.Replication;

/// <summary>
/// FEP-8b32 proofs (eddsa-jcs-2022) on what an actor of ours publishes: a dataset's record objects (Note or Tombstone)
/// first, then the activity that carries them, and its Accept, Reject and actor Update; the node actor's Update. Each is
/// signed by the actor's current Ed25519 key (<c>{actor}#ed25519-key</c>, after a rotation <c>#ed25519-key-{generation}</c>).
/// A replica keeps the signed object, so anyone can later check offline that the record came from that dataset.
/// </summary>
public sealed class ObjectProofs(ActorKeyring keys, ActivityUris uris, TimeProvider clock)
{
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
