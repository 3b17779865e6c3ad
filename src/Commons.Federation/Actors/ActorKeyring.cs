using System.Collections.Concurrent;
using System.Security.Cryptography;
using Commons.Core.Federation;
using Commons.Federation.Integrity;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Actors;

/// <summary>
/// The node's and each dataset's key pairs: created on first use, stored (private parts never leave the node),
/// and kept imported in memory, since importing an RSA key costs several verifications.
/// </summary>
public sealed class ActorKeyring(IActorKeyStore store, TimeProvider clock)
{
    public const string NodeActor = "_node";
    /// <summary>How long a replaced key stays published after a rotation.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromDays(30);
    private readonly ConcurrentDictionary<string, Loaded> _loaded = new();
    private readonly object _createGate = new();

    public sealed record Loaded(ActorKeys Keys, RsaSigningKey Rsa, Ed25519SigningKey Ed25519)
    {
        public string RsaPublicPem => Keys.RsaPublicPem;
        /// <summary>The fragment of the current RSA key's id (<c>main-key</c>, then <c>main-key-{generation}</c>).</summary>
        public string RsaFragment => KeyFragments.Rsa(Keys.Generation);
        /// <summary>The fragment of the current Ed25519 key's id (<c>ed25519-key</c>, then <c>ed25519-key-{generation}</c>).</summary>
        public string Ed25519Fragment => KeyFragments.Ed25519(Keys.Generation);
        /// <summary>The Ed25519 public key as a FEP-521a Multikey value (<c>z6Mk…</c>).</summary>
        public string Ed25519Multikey => Multikey.EncodeEd25519PublicKey(Ed25519.PublicKey.ExportRawPublicKey());
    }

    public Loaded For(string actor)
    {
        if (_loaded.TryGetValue(actor, out var loaded)) return loaded;
        lock (_createGate)
        {
            if (_loaded.TryGetValue(actor, out loaded)) return loaded;
            var keys = store.Find(actor) ?? Create(actor);
            loaded = Load(keys);
            _loaded[actor] = loaded;
            return loaded;
        }
    }

    /// <summary>The public halves to publish in the actor document: the current keys and, during the grace period, retired Ed25519 keys.</summary>
    public ActivityStreams.ActorKeys PublicKeysOf(string actor)
    {
        var loaded = For(actor);
        var now = clock.GetUtcNow();
        return new ActivityStreams.ActorKeys(loaded.RsaPublicPem, loaded.Ed25519Multikey)
        {
            RsaFragment = loaded.RsaFragment,
            Ed25519Fragment = loaded.Ed25519Fragment,
            PreviousEd25519Keys = loaded.Keys.Retired
                .Where(r => r.Ed25519PublicMultikey is not null && now - r.RetiredAt < GracePeriod)
                .OrderByDescending(r => r.Generation)
                .Select(r => new ActivityStreams.PublishedMultikey(KeyFragments.Ed25519(r.Generation), r.Ed25519PublicMultikey!))
                .ToList(),
        };
    }

    /// <summary>
    /// Replaces an actor's keys with a new generation, whose key ids no earlier generation used; the old public keys
    /// are kept as retired (the Ed25519 one stays published during the grace period).
    /// </summary>
    public Loaded Rotate(string actor)
    {
        lock (_createGate)
        {
            var current = store.Find(actor) ?? Create(actor);
            using var oldEd = Ed25519SigningKey.FromSeed(current.Ed25519Seed);
            var oldMultikey = Multikey.EncodeEd25519PublicKey(oldEd.PublicKey.ExportRawPublicKey());
            var now = clock.GetUtcNow();
            var fresh = NewKeys(actor) with
            {
                Generation = current.Generation + 1,
                Retired = current.Retired.Where(r => now - r.RetiredAt < GracePeriod)
                    .Append(new RetiredKey(current.Generation, current.RsaPublicPem, oldMultikey, now)).ToList(),
            };
            store.Save(fresh);
            var loaded = Load(fresh);
            _loaded[actor] = loaded;
            return loaded;
        }
    }

    private ActorKeys Create(string actor)
    {
        var keys = NewKeys(actor);
        store.Save(keys);
        return keys;
    }

    private ActorKeys NewKeys(string actor)
    {
        using var rsa = RSA.Create(2048);
        using var ed = Ed25519SigningKey.Generate();
        return new ActorKeys
        {
            Actor = actor,
            RsaPrivatePkcs8 = rsa.ExportPkcs8PrivateKey(),
            RsaPublicPem = rsa.ExportSubjectPublicKeyInfoPem(),
            Ed25519Seed = ed.ExportSeed(),
            CreatedAt = clock.GetUtcNow(),
        };
    }

    private static Loaded Load(ActorKeys keys)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(keys.RsaPrivatePkcs8, out _);
        return new Loaded(keys, new RsaSigningKey(rsa), Ed25519SigningKey.FromSeed(keys.Ed25519Seed));
    }
}
