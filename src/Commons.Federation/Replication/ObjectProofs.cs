using System.Text.Json.Nodes;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Integrity;

namespace Commons.Federation.Replication;

/// <summary>
/// FEP-8b32 proofs (eddsa-jcs-2022) on what a dataset publishes: its record objects (Note or Tombstone) first, then
/// the activity that carries them, each by the dataset's Ed25519 key (<c>{actor}#ed25519-key</c>). A replica keeps
/// the signed object, so anyone can later check offline that the record came from that dataset.
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

    /// <summary>Adds a proof by the dataset's key to <paramref name="document"/> (which must have none).</summary>
    public JsonObject Sign(string slug, JsonObject document)
    {
        var key = keys.For(slug).Ed25519;
        document.Remove("proof");
        var proof = EddsaJcs2022Cryptosuite.CreateProof(document, key, new DataIntegrityProofOptions(uris.DatasetEd25519Key(slug), clock.GetUtcNow()));
        document["proof"] = proof;
        return document;
    }
}
