using Commons.Federation.ActivityStreams;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Commons.Federation.Signatures.Keys;

namespace Commons.Federation.Http;

/// <summary>Cache settings of <see cref="RemoteActorFetcher"/>.</summary>
public sealed record RemoteActorCacheOptions
{
    public TimeSpan TimeToLive { get; init; } = TimeSpan.FromHours(1);

    public int Capacity { get; init; } = 2048;

    /// <summary>
    /// An actor fetched more recently than this is not fetched again by <see cref="RemoteActorFetcher.Refresh"/>
    /// or for an unknown keyId, so bad signatures cannot make the node hammer a third party.
    /// </summary>
    public TimeSpan MinRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Fetches remote actors with signed GETs and caches them (bounded LRU with a time to live). A fetched document
/// must carry the fetched URL as its <c>id</c> (or, after redirects on the same host, the final URL).
/// <see cref="ResolveKeyAsync"/> turns an HTTP signature keyId into a verification key and its owner.
/// </summary>
public sealed class RemoteActorFetcher
{
    private const int MaxJsonDepth = 64;

    private readonly SignedHttpClient _http;
    private readonly SigningIdentity _signer;
    private readonly PublicKeyCache _keys;
    private readonly TimeProvider _clock;
    private readonly RemoteActorCacheOptions _cacheOptions;
    private readonly Dictionary<string, LinkedListNode<(string Key, RemoteActor Actor)>> _cache = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, RemoteActor Actor)> _recency = new();
    private readonly Lock _lock = new();
    // One fetch per actor at a time: concurrent misses (a burst of activities from a new peer) share it.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<Task<RemoteActor>>> _inFlight = new(StringComparer.Ordinal);

    public RemoteActorFetcher(SignedHttpClient http, SigningIdentity signer, PublicKeyCache keys, TimeProvider? clock = null, RemoteActorCacheOptions? cacheOptions = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        _signer = signer ?? throw new ArgumentNullException(nameof(signer));
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _clock = clock ?? TimeProvider.System;
        _cacheOptions = cacheOptions ?? new RemoteActorCacheOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_cacheOptions.Capacity, 1, nameof(cacheOptions));
    }

    /// <summary>Actors currently cached.</summary>
    public int CachedCount
    {
        get
        {
            lock (_lock)
            {
                return _cache.Count;
            }
        }
    }

    /// <summary>The actor at <paramref name="actorUri"/>, from the cache when fresh.</summary>
    /// <exception cref="RemoteActorException">Error status, not JSON, not an actor, or an id other than the URL.</exception>
    public async Task<RemoteActor> FetchAsync(Uri actorUri, CancellationToken cancellationToken = default)
    {
        var key = CacheKey(actorUri);
        if (TryGetCached(key, out var cached))
        {
            return cached;
        }
        var fetch = _inFlight.GetOrAdd(key, _ => new Lazy<Task<RemoteActor>>(() => FetchAndStoreAsync(key, actorUri)));
        try
        {
            return await fetch.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (fetch.Value.IsCompleted) _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<RemoteActor>>>(key, fetch));
        }
    }

    // Not tied to one caller's cancellation: others may be waiting on the same fetch (the request timeout still applies).
    private async Task<RemoteActor> FetchAndStoreAsync(string key, Uri actorUri)
    {
        var (document, finalUri) = await FetchDocumentAsync(actorUri, CancellationToken.None).ConfigureAwait(false);
        var actor = ParseActor(document, actorUri, finalUri);
        Store(key, actor);
        return actor;
    }

    /// <summary>
    /// Takes <paramref name="document"/> as the current state of the actor at <paramref name="actorUri"/>: the actor's
    /// own Update, whose signature the caller has checked, is as good as fetching it.
    /// </summary>
    /// <exception cref="RemoteActorException">Not an actor, or its id is not <paramref name="actorUri"/>.</exception>
    public RemoteActor Replace(Uri actorUri, JsonElement document)
    {
        var actor = ParseActor(document.Clone(), actorUri, actorUri);
        Store(CacheKey(actorUri), actor);
        return actor;
    }

    /// <summary>
    /// Makes the next <see cref="FetchAsync"/> of <paramref name="actorUri"/> go to the network (after a failed
    /// verification, the key may have been rotated). Ignored, returning false, when the cached copy is younger
    /// than <see cref="RemoteActorCacheOptions.MinRefreshInterval"/>.
    /// </summary>
    public bool Refresh(Uri actorUri)
    {
        var key = CacheKey(actorUri);
        lock (_lock)
        {
            if (!_cache.TryGetValue(key, out var node))
            {
                return true;
            }
            if (_clock.GetUtcNow() - node.Value.Actor.FetchedAt < _cacheOptions.MinRefreshInterval)
            {
                return false;
            }
            _recency.Remove(node);
            _cache.Remove(key);
            return true;
        }
    }

    /// <summary>
    /// Finds the key named by an HTTP signature keyId: drops the fragment, fetches that document (the owner
    /// itself for <c>actor#main-key</c>; a key document or stub naming its owner for <c>actor/main-key</c>),
    /// fetches the owner if needed, and takes the owner's <c>publicKey</c> whose id is the keyId. The key is
    /// imported through the <see cref="PublicKeyCache"/>. Null when the keyId is not a URL or the owner does not
    /// publish that key. The caller checks <see cref="ResolvedKey.Owner"/> against the activity's actor.
    /// </summary>
    /// <summary>
    /// <see cref="ResolveKeyAsync"/> for a signature verifier: an owner that cannot be fetched (error status, refused
    /// address, timeout, not an actor) means an unknown key, which the verifier reports — never an exception.
    /// </summary>
    public async Task<ResolvedKey?> ResolveKeyOrNullAsync(string keyId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await ResolveKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RemoteActorException or FederationHttpException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async Task<ResolvedKey?> ResolveKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(keyId, UriKind.Absolute, out var keyUri) || (keyUri.Scheme != Uri.UriSchemeHttps && keyUri.Scheme != Uri.UriSchemeHttp))
        {
            return null;
        }
        var documentUri = WithoutFragment(keyUri);
        if (TryGetCached(CacheKey(documentUri), out var cached))
        {
            if (cached.FindKey(keyId) is { } known)
            {
                return Import(cached, known);
            }
            if (_clock.GetUtcNow() - cached.FetchedAt < _cacheOptions.MinRefreshInterval)
            {
                return null;
            }
        }

        var (document, finalUri) = await FetchDocumentAsync(documentUri, cancellationToken).ConfigureAwait(false);
        RemoteActor actor;
        if (IdMatches(document, documentUri, finalUri) && document.TryGetProperty("inbox", out _))
        {
            actor = ParseActor(document, documentUri, finalUri);
            Store(CacheKey(documentUri), actor);
        }
        else
        {
            var owner = OwnerOf(document, keyId);
            if (owner is null || CacheKey(owner) == CacheKey(documentUri))
            {
                return null;
            }
            actor = await FetchAsync(owner, cancellationToken).ConfigureAwait(false);
            if (actor.FindKey(keyId) is null && Refresh(owner))
            {
                actor = await FetchAsync(owner, cancellationToken).ConfigureAwait(false);
            }
        }
        return actor.FindKey(keyId) is { } key ? Import(actor, key) : null;
    }

    private ResolvedKey? Import(RemoteActor actor, RemotePublicKey key)
    {
        if (key.Owner is not null && CacheKey(key.Owner) != CacheKey(actor.Id))
        {
            return null;
        }
        try
        {
            // Keyed by the PEM text, not the keyId: Mastodon keeps "#main-key" when it rotates the key.
            return new ResolvedKey(key.Id, actor.Id, _keys.GetOrImportPem(key.PublicKeyPem));
        }
        catch (Exception e) when (e is FormatException or NotSupportedException or CryptographicException or ArgumentException)
        {
            throw new RemoteActorException(actor.Id, $"the key {key.Id} cannot be imported ({e.Message}).", innerException: e);
        }
    }

    private async Task<(JsonElement Document, Uri FinalUri)> FetchDocumentAsync(Uri uri, CancellationToken cancellationToken)
    {
        var response = await _http.GetAsync(uri, _signer, SignedHttpClient.ActivityAccept, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new RemoteActorException(uri, $"the server answered {(int)response.StatusCode}.", response.StatusCode);
        }
        try
        {
            using var document = JsonDocument.Parse(response.Body, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new RemoteActorException(uri, "the document is not a JSON object.", response.StatusCode);
            }
            return (document.RootElement.Clone(), response.RequestUri);
        }
        catch (JsonException e)
        {
            throw new RemoteActorException(uri, "the document is not JSON.", response.StatusCode, e);
        }
    }

    /// <summary>Checks the id against the URL, then reads the actor with the shared tolerant reader.</summary>
    private RemoteActor ParseActor(JsonElement document, Uri requested, Uri finalUri)
    {
        if (!IdMatches(document, requested, finalUri))
        {
            throw new RemoteActorException(requested, $"the document's id '{String(document, "id")}' is not the URL it was fetched from.");
        }
        if (!RemoteActorDocument.TryRead(document, out var actor, out var error))
        {
            throw new RemoteActorException(requested, $"not an actor: {error}.");
        }
        return new RemoteActor(
            AbsoluteUri(actor!.Id)!,
            actor.Type,
            actor.PreferredUsername,
            AbsoluteUri(actor.Inbox) ?? throw new RemoteActorException(requested, "the inbox is not an http(s) URL."),
            AbsoluteUri(actor.Outbox),
            AbsoluteUri(actor.Followers),
            AbsoluteUri(actor.SharedInbox),
            Keys(document),
            document,
            _clock.GetUtcNow());
    }

    /// <summary>The id equals the requested URL, or the final URL after redirects that stayed on the same host.</summary>
    private static bool IdMatches(JsonElement document, Uri requested, Uri finalUri)
    {
        if (AbsoluteUri(String(document, "id")) is not { } id)
        {
            return false;
        }
        var idKey = CacheKey(id);
        return idKey == CacheKey(requested)
            || (idKey == CacheKey(finalUri) && SignedHttpClient.HostKey(finalUri) == SignedHttpClient.HostKey(requested));
    }

    /// <summary>Who owns the key a (non-actor) document describes: its owner, the matching publicKey's owner, or its id.</summary>
    private static Uri? OwnerOf(JsonElement document, string keyId)
    {
        if (AbsoluteUri(String(document, "owner")) is { } owner)
        {
            return owner;
        }
        var key = Keys(document).FirstOrDefault(k => k.Id == keyId);
        return key?.Owner ?? AbsoluteUri(String(document, "id"));
    }

    private static List<RemotePublicKey> Keys(JsonElement document) =>
        RemoteActorDocument.ReadPublicKeys(document).Select(k => new RemotePublicKey(k.Id, AbsoluteUri(k.Owner), k.PublicKeyPem)).ToList();

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Uri? AbsoluteUri(string? text) =>
        text is not null && Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;

    private static Uri WithoutFragment(Uri uri) => new(uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped));

    private static string CacheKey(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped);
    }

    private bool TryGetCached(string key, out RemoteActor actor)
    {
        lock (_lock)
        {
            if (_cache.TryGetValue(key, out var node))
            {
                if (_clock.GetUtcNow() - node.Value.Actor.FetchedAt < _cacheOptions.TimeToLive)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    actor = node.Value.Actor;
                    return true;
                }
                _recency.Remove(node);
                _cache.Remove(key);
            }
        }
        actor = null!;
        return false;
    }

    private void Store(string key, RemoteActor actor)
    {
        lock (_lock)
        {
            if (_cache.Remove(key, out var old))
            {
                _recency.Remove(old);
            }
            _cache[key] = _recency.AddFirst((key, actor));
            while (_cache.Count > _cacheOptions.Capacity)
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _cache.Remove(last.Value.Key);
            }
        }
    }
}
