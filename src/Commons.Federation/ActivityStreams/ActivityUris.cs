namespace Commons.Federation.ActivityStreams;

/// <summary>What one of our own URIs names.</summary>
public enum OurUriKind
{
    /// <summary>The base URL itself (or a path under it that names nothing federated).</summary>
    Other = 0,
    NodeActor,
    NodeInbox,
    NodeOutbox,
    SharedInbox,
    DatasetActor,
    DatasetInbox,
    DatasetOutbox,
    DatasetFollowers,
    DatasetFollowing,
    Record,
    Change,
}

/// <summary>One of our URIs taken apart. <see cref="Fragment"/> is without '#' (e.g. <c>main-key</c>, <c>follows/…</c>).</summary>
public sealed record OurUri(OurUriKind Kind, string? Slug = null, string? RecordId = null, long? Seq = null, string? Fragment = null);

/// <summary>
/// Every URL the node publishes, built in one place from the base URL (config <c>Commons:PublicUrl</c>),
/// and parsed back. The base may carry a path prefix (<c>https://example.org/commons</c>); a trailing slash is ignored.
/// </summary>
public sealed class ActivityUris
{
    public const string MainKeyFragment = "main-key";
    public const string Ed25519KeyFragment = "ed25519-key";
    public const string NodeUsername = "_node";

    private readonly string _base;
    private readonly Uri _baseUri;

    /// <summary>How the modules' kinds reshape their records' objects (<see cref="RecordObjects.Note"/>); none by default.</summary>
    public RecordObjectShapes Shapes { get; init; } = RecordObjectShapes.None;

    public ActivityUris(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || baseUrl.Scheme is not ("http" or "https"))
            throw new ArgumentException("The public URL must be an absolute http(s) URL.", nameof(baseUrl));
        if (!string.IsNullOrEmpty(baseUrl.Query) || !string.IsNullOrEmpty(baseUrl.Fragment))
            throw new ArgumentException("The public URL must not carry a query or a fragment.", nameof(baseUrl));
        // Uri normalises scheme and host to lower case and drops a default port.
        _base = (baseUrl.GetLeftPart(UriPartial.Path)).TrimEnd('/');
        _baseUri = new Uri(_base + "/");
    }

    public ActivityUris(string baseUrl) : this(new Uri(baseUrl, UriKind.Absolute)) { }

    /// <summary>The base URL without a trailing slash, e.g. <c>http://127.0.0.1:5081</c>.</summary>
    public string Base => _base;

    /// <summary>Host with the port when it is not the scheme's default (the WebFinger/handle host), e.g. <c>127.0.0.1:5081</c>.</summary>
    public string Host => _baseUri.Authority;

    // ---- node ----
    public string NodeActor => $"{_base}/actor";
    public string NodeInbox => $"{_base}/actor/inbox";
    public string NodeOutbox => $"{_base}/actor/outbox";
    public string SharedInbox => $"{_base}/inbox";
    public string NodeMainKey => KeyId(NodeActor, MainKeyFragment);
    public string NodeEd25519Key => KeyId(NodeActor, Ed25519KeyFragment);

    // ---- well-known ----
    public string WebFinger => $"{_base}/.well-known/webfinger";
    public string WebFingerTemplate => $"{_base}/.well-known/webfinger?resource={{uri}}";
    public string NodeInfoDiscovery => $"{_base}/.well-known/nodeinfo";
    public string NodeInfo21 => $"{_base}/nodeinfo/2.1";
    public string HostMeta => $"{_base}/.well-known/host-meta";

    // ---- datasets ----
    public string DatasetActor(string slug) => $"{_base}/datasets/{Escape(slug)}";
    public string DatasetInbox(string slug) => $"{DatasetActor(slug)}/inbox";
    public string DatasetOutbox(string slug) => $"{DatasetActor(slug)}/outbox";
    public string DatasetFollowers(string slug) => $"{DatasetActor(slug)}/followers";
    public string DatasetFollowing(string slug) => $"{DatasetActor(slug)}/following";
    public string DatasetView(string slug, string view) => $"{DatasetActor(slug)}/views/{Escape(view)}";
    public string DatasetMainKey(string slug) => KeyId(DatasetActor(slug), MainKeyFragment);
    public string DatasetEd25519Key(string slug) => KeyId(DatasetActor(slug), Ed25519KeyFragment);
    public string Record(string slug, string recordId) => $"{DatasetActor(slug)}/records/{Escape(recordId)}";
    public string Change(string slug, long seq) => $"{DatasetActor(slug)}/changes/{seq.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The WebFinger handle without <c>acct:</c>, e.g. <c>offers@127.0.0.1:5081</c>.</summary>
    public string Handle(string username) => $"{username}@{Host}";

    public string Acct(string username) => $"acct:{Handle(username)}";

    // ---- fragments and pages ----
    public static string KeyId(string actor, string fragment) => $"{actor}#{fragment}";

    /// <summary>Id of a Follow sent by <paramref name="followerActor"/>: <c>{actor}#follows/{uuid}</c>.</summary>
    public static string FollowId(string followerActor, Guid id) => $"{followerActor}#follows/{id:D}";
    public static string AcceptId(string actor, Guid id) => $"{actor}#accepts/{id:D}";
    public static string RejectId(string actor, Guid id) => $"{actor}#rejects/{id:D}";
    public static string UndoId(string actor, Guid id) => $"{actor}#undos/{id:D}";
    /// <summary>Id of an Update of the actor itself (new keys, new title): <c>{actor}#updates/{stamp}</c>.</summary>
    public static string ActorUpdateId(string actor, long stamp) => $"{actor}#updates/{stamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>A page of a collection: <c>{collection}?page={cursor}</c> (the cursor URL-encoded).</summary>
    public static string Page(string collection, string cursor) => $"{collection}?page={Uri.EscapeDataString(cursor)}";

    // ---- parsing back ----

    /// <summary>Whether <paramref name="uri"/> lies under our base URL (scheme, host, port and path prefix).</summary>
    public bool IsOurs(string? uri) => RelativePath(uri) is not null;

    /// <summary>Whether <paramref name="uri"/> is one of ours and names something; fills <paramref name="parsed"/>.</summary>
    public bool TryParse(string? uri, out OurUri parsed)
    {
        parsed = new OurUri(OurUriKind.Other);
        var rel = RelativePath(uri, out var fragment);
        if (rel is null) return false;
        var segments = rel.Length == 0 ? [] : rel.Split('/');
        if (segments.Any(s => s.Length == 0)) return false;
        var result = segments switch
        {
            ["actor"] => new OurUri(OurUriKind.NodeActor),
            ["actor", "inbox"] => new OurUri(OurUriKind.NodeInbox),
            ["actor", "outbox"] => new OurUri(OurUriKind.NodeOutbox),
            ["inbox"] => new OurUri(OurUriKind.SharedInbox),
            ["datasets", var s] => new OurUri(OurUriKind.DatasetActor, Unescape(s)),
            ["datasets", var s, "inbox"] => new OurUri(OurUriKind.DatasetInbox, Unescape(s)),
            ["datasets", var s, "outbox"] => new OurUri(OurUriKind.DatasetOutbox, Unescape(s)),
            ["datasets", var s, "followers"] => new OurUri(OurUriKind.DatasetFollowers, Unescape(s)),
            ["datasets", var s, "following"] => new OurUri(OurUriKind.DatasetFollowing, Unescape(s)),
            ["datasets", var s, "records", var r] => new OurUri(OurUriKind.Record, Unescape(s), Unescape(r)),
            ["datasets", var s, "changes", var n] when long.TryParse(n, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq)
                => new OurUri(OurUriKind.Change, Unescape(s), Seq: seq),
            _ => new OurUri(OurUriKind.Other),
        };
        parsed = result with { Fragment = fragment };
        return result.Kind != OurUriKind.Other;
    }

    /// <summary>The dataset slug of an actor URI (or a key id <c>{actor}#…</c>) of ours, else null.</summary>
    public string? DatasetSlugOfActor(string? uri) =>
        TryParse(uri, out var p) && p.Kind == OurUriKind.DatasetActor ? p.Slug : null;

    private string? RelativePath(string? uri) => RelativePath(uri, out _);

    private string? RelativePath(string? uri, out string? fragment)
    {
        fragment = null;
        if (uri is null || !Uri.TryCreate(uri, UriKind.Absolute, out var u)) return null;
        if (!string.Equals(u.Scheme, _baseUri.Scheme, StringComparison.Ordinal)
            || !string.Equals(u.IdnHost, _baseUri.IdnHost, StringComparison.OrdinalIgnoreCase)
            || u.Port != _baseUri.Port
            || !string.IsNullOrEmpty(u.UserInfo))
            return null;
        var path = u.AbsolutePath;
        var basePath = _baseUri.AbsolutePath; // ends with '/'
        string rel;
        if (path == basePath.TrimEnd('/') || path == basePath) rel = "";
        else if (path.StartsWith(basePath, StringComparison.Ordinal)) rel = path[basePath.Length..].TrimEnd('/');
        else return null;
        if (u.Fragment.Length > 1) fragment = Uri.UnescapeDataString(u.Fragment[1..]);
        // A query (a collection page) names a part of the same resource: the path decides.
        return rel;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
    private static string Unescape(string segment) => Uri.UnescapeDataString(segment);
}
