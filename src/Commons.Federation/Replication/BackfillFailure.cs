using System.Net;
using Commons.Federation.Http;

namespace Commons.Federation.Replication;

/// <summary>
/// Why a backfill round made no progress, and what follows from it: <see cref="Permanent"/> (the actor or its outbox is
/// gone, or it is not a Commons dataset) stops the subscription at once; <see cref="Malformed"/> (a page or actor document
/// that is not what the spec says) stops it after several rounds in a row; anything else (the owner down, busy, refusing
/// for now, unreachable) only backs off, however long it lasts.
/// </summary>
public sealed record BackfillFailure(string Message, bool Permanent, bool Malformed, TimeSpan? RetryAfter = null)
{
    /// <summary>The failure an exception of a backfill round stands for; null for one the round must not swallow.</summary>
    public static BackfillFailure? Classify(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException when ct.IsCancellationRequested => null,
        BackfillStopException stop => new(stop.Message, Permanent: true, Malformed: false),
        BackfillHttpException { StatusCode: 404 or 410 } gone => new(gone.Message, Permanent: true, Malformed: false),
        BackfillHttpException other => new(other.Message, Permanent: false, Malformed: false, other.RetryAfter),
        RemoteActorException { StatusCode: HttpStatusCode.NotFound or HttpStatusCode.Gone } gone =>
            new($"the dataset actor answered {(int)gone.StatusCode!}", Permanent: true, Malformed: false),
        // An answer that is not an acceptable actor document (not JSON, another id, no inbox); an error status is the owner's trouble for now.
        RemoteActorException { StatusCode: null or >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices } malformed =>
            new(malformed.Message, Permanent: false, Malformed: true),
        FormatException malformed => new(malformed.Message, Permanent: false, Malformed: true),
        FederationHttpException or HttpRequestException or TaskCanceledException or IOException => new(e.Message, Permanent: false, Malformed: false),
        _ => null,
    };
}

/// <summary>The owner's side can never serve this subscription's backfill (not a dataset, no outbox).</summary>
public sealed class BackfillStopException(string reason) : Exception(reason);

/// <summary>The outbox answered an error status.</summary>
public sealed class BackfillHttpException(int statusCode, DateTimeOffset? retryAt, DateTimeOffset now)
    : Exception($"the outbox answered {statusCode}")
{
    public int StatusCode { get; } = statusCode;
    public TimeSpan? RetryAfter { get; } = retryAt is { } at && at > now ? at - now : null;
}
