using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Commons.Core.Federation;
using Commons.Federation.Actors;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Integrity;
using Commons.Federation.Replication;
using NSec.Cryptography;

namespace Commons.Federation.Tests.Replication;

/// <summary>
/// A key rotation leaves every earlier proof verifiable: the key that made it keeps its id, published in the actor's
/// assertionMethod during the grace period, and the new key takes an id no earlier key had.
/// </summary>
public sealed class KeyRotationProofTests : IDisposable
{
    private readonly ReplicationRig _rig = new();

    public void Dispose() => _rig.Dispose();

    private JsonObject ActorDocument(string slug) =>
        ActorDocuments.DatasetActor(_rig.DatasetStore.Find(slug)!, _rig.Uris, _rig.Keys.PublicKeysOf(slug));

    [Fact]
    public async Task A_proof_made_before_a_rotation_verifies_after_it_for_the_follower_the_export_check_and_a_verifier_written_from_the_spec()
    {
        var dataset = _rig.Dataset("offers");
        var subscription = _rig.Subscribe("offers");
        var (record, change) = _rig.Records.Create(ReplicationRig.Admin, "offers", "before", ReplicationRig.Data("""{"name":"Drill"}"""));
        // Signed and queued before the rotation, delivered after it.
        var queued = _rig.Signed(dataset, change, record)!;
        Assert.Equal(_rig.ActorOf("offers") + "#ed25519-key", (string?)queued["proof"]!["verificationMethod"]);

        _rig.Keys.Rotate("offers");
        _rig.ServeActor(dataset);
        _rig.Clock.Advance(TimeSpan.FromHours(2)); // past the follower's actor cache

        var outcome = await _rig.Applier.ApplyAsync(subscription, ReplicationRig.Element(queued), CancellationToken.None);
        Assert.StartsWith("applied", outcome);
        var before = JsonNode.Parse(_rig.Replicas.Get(subscription.Id, "before")!.SignedObject!)!.AsObject();
        Assert.True((await _rig.Verifier.VerifyAsync(before, _rig.ActorOf("offers"), CancellationToken.None)).IsValid);
        Assert.True(IndependentlyVerified(before, ActorDocument("offers")));

        // A record signed after the rotation names the new key; both live in one replica and one export.
        var (after, afterChange) = _rig.Records.Create(ReplicationRig.Admin, "offers", "after", ReplicationRig.Data("""{"name":"Saw"}"""));
        var fresh = _rig.Signed(dataset, afterChange, after)!;
        Assert.Equal(_rig.ActorOf("offers") + "#ed25519-key-2", (string?)fresh["proof"]!["verificationMethod"]);
        Assert.StartsWith("applied", await _rig.Applier.ApplyAsync(subscription, ReplicationRig.Element(fresh), CancellationToken.None));
        Assert.True(IndependentlyVerified((JsonObject)fresh["object"]!, ActorDocument("offers")));

        var export = await new ReplicaExport(_rig.Subscriptions, _rig.Replicas, _rig.Actors, _rig.Clock).BuildAsync(subscription.Id, CancellationToken.None);
        var check = ReplicaExport.Check(ReplicationRig.Element(export));
        Assert.True(check.Ok, string.Join("; ", check.Problems));
        Assert.Equal(2, check.Verified);
    }

    [Fact]
    public void Every_generation_has_key_ids_of_its_own_and_the_first_keeps_the_ids_nodes_published_before_rotations()
    {
        _rig.Dataset("offers");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pems = new Dictionary<string, string>(StringComparer.Ordinal);
        var multikeys = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var generation = 1; generation <= 3; generation++)
        {
            if (generation > 1) _rig.Keys.Rotate("offers");
            var doc = ActorDocument("offers");
            var rsaId = (string)doc["publicKey"]!["id"]!;
            var methods = doc["assertionMethod"]!.AsArray().Select(m => ((string)m!["id"]!, (string)m["publicKeyMultibase"]!)).ToList();
            Assert.Equal(generation == 1 ? _rig.ActorOf("offers") + "#main-key" : $"{_rig.ActorOf("offers")}#main-key-{generation}", rsaId);
            Assert.Equal(generation == 1 ? _rig.ActorOf("offers") + "#ed25519-key" : $"{_rig.ActorOf("offers")}#ed25519-key-{generation}", methods[0].Item1);
            Assert.Equal(generation, methods.Count); // the current key first, then every earlier one still in its grace period
            // A key id, once published, always names the same key.
            foreach (var (id, key) in methods)
                Assert.Equal(key, multikeys.TryGetValue(id, out var known) ? known : multikeys[id] = key);
            Assert.True(seen.Add(rsaId));
            Assert.False(pems.ContainsValue((string)doc["publicKey"]!["publicKeyPem"]!));
            pems[rsaId] = (string)doc["publicKey"]!["publicKeyPem"]!;
        }
        Assert.Equal(3, multikeys.Values.Distinct().Count());
    }

    [Fact]
    public void Retired_keys_leave_the_actor_after_the_grace_period()
    {
        _rig.Dataset("offers");
        _rig.Keys.Rotate("offers");
        _rig.Clock.Advance(ActorKeyring.GracePeriod + TimeSpan.FromMinutes(1));
        var methods = ActorDocument("offers")["assertionMethod"]!.AsArray();
        Assert.Equal(_rig.ActorOf("offers") + "#ed25519-key-2", (string?)Assert.Single(methods)!["id"]);
    }

    [Fact]
    public void A_store_rotated_by_an_earlier_version_publishes_each_generation_under_its_own_id()
    {
        // Before key ids were per generation, generation 2 took "#ed25519-key" and generation 1 was republished as
        // "#ed25519-key-1"; proofs made before that rotation name "#ed25519-key", which must be generation 1's key.
        _rig.Dataset("offers");
        var store = new Commons.Storage.Federation.LiteActorKeyStore(_rig.OriginDb);
        var first = store.Find("offers")!;
        using var firstEd = Commons.Federation.Signatures.Keys.Ed25519SigningKey.FromSeed(first.Ed25519Seed);
        var firstMultikey = Multikey.EncodeEd25519PublicKey(firstEd.PublicKey.ExportRawPublicKey());
        using var secondEd = Commons.Federation.Signatures.Keys.Ed25519SigningKey.Generate();
        store.Save(first with
        {
            Ed25519Seed = secondEd.ExportSeed(), Generation = 2,
            Retired = [new RetiredKey(1, first.RsaPublicPem, firstMultikey, _rig.Clock.GetUtcNow())],
        });

        var keyring = new ActorKeyring(store, _rig.Clock);
        var doc = ActorDocuments.DatasetActor(_rig.DatasetStore.Find("offers")!, _rig.Uris, keyring.PublicKeysOf("offers"));
        var methods = doc["assertionMethod"]!.AsArray().ToDictionary(m => (string)m!["id"]!, m => (string)m!["publicKeyMultibase"]!);
        Assert.Equal(firstMultikey, methods[_rig.ActorOf("offers") + "#ed25519-key"]);
        Assert.Equal(Multikey.EncodeEd25519PublicKey(secondEd.PublicKey.ExportRawPublicKey()), methods[_rig.ActorOf("offers") + "#ed25519-key-2"]);
    }

    /// <summary>
    /// eddsa-jcs-2022 as the spec (§10.1, vc-di-eddsa) describes it, checked with NSec directly: the key is the
    /// assertionMethod entry whose id is the proof's verificationMethod (a Multikey: 'z', base58btc, 0xed 0x01, 32 bytes);
    /// the signed bytes are SHA-256(JCS(proof without proofValue, with the document's @context)) followed by
    /// SHA-256(JCS(document without proof)).
    /// </summary>
    private static bool IndependentlyVerified(JsonObject signed, JsonObject actor)
    {
        var proof = signed["proof"]!.AsObject();
        var method = (string)proof["verificationMethod"]!;
        var entry = actor["assertionMethod"]!.AsArray().Single(m => (string?)m!["id"] == method)!;
        Assert.Equal("Multikey", (string?)entry["type"]);
        Assert.Equal((string?)actor["id"], (string?)entry["controller"]);
        var multikey = (string)entry["publicKeyMultibase"]!;
        Assert.StartsWith("z", multikey);
        var keyBytes = Base58(multikey[1..]);
        Assert.Equal(new byte[] { 0xed, 0x01 }, keyBytes[..2]);
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, keyBytes[2..], KeyBlobFormat.RawPublicKey);

        var document = (JsonObject)signed.DeepClone();
        document.Remove("proof");
        var config = (JsonObject)proof.DeepClone();
        config.Remove("proofValue");
        if (signed["@context"] is { } context) config["@context"] = context.DeepClone();
        var data = SHA256.HashData(Encoding.UTF8.GetBytes(JsonCanonicalizer.Canonicalize(config)))
            .Concat(SHA256.HashData(Encoding.UTF8.GetBytes(JsonCanonicalizer.Canonicalize(document)))).ToArray();
        var proofValue = (string)proof["proofValue"]!;
        Assert.StartsWith("z", proofValue);
        return SignatureAlgorithm.Ed25519.Verify(publicKey, data, Base58(proofValue[1..]));
    }

    private static byte[] Base58(string text)
    {
        const string alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        var value = BigInteger.Zero;
        foreach (var c in text) value = value * 58 + alphabet.IndexOf(c, StringComparison.Ordinal);
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var zeros = text.TakeWhile(c => c == '1').Count();
        return [.. new byte[zeros], .. bytes];
    }
}
