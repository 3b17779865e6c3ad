using System.Text.Json;
using Commons.Core.Federation;
using Commons.Federation.ActivityStreams;
using Commons.Federation.Delivery;
using Commons.Federation.Http;
using Commons.Federation.Signatures;
using Commons.Federation.Signatures.Keys;
using Commons.Federation.Signatures.Messages;
using Microsoft.Extensions.Logging;

namespace Commons.Federation.Inbox;

public enum InboxVerdict
{
    /// <summary>Verified and stored: answer 202.</summary>
    Accepted,
    /// <summary>Seen before: answer 202, nothing done.</summary>
    Duplicate,
    /// <summary>Bad or missing signature or digest, or a key whose owner is not the actor: answer 401.</summary>
    Unauthorized,
    /// <summary>A blocked or not-allowed domain: answer 403.</summary>
    Forbidden,
    /// <summary>Not an activity we can read: answer 400.</summary>
    BadRequest,
}

public sealed record InboxResult(InboxVerdict Verdict, string Detail);

/// <summary>Told of a verified activity whose id the inbox already holds (it is not processed again).</summary>
public interface IRepeatedActivityListener
{
    void OnRepeated(IncomingActivity activity);
}

/// <summary>
/// The inbox's request path: verify the HTTP signature (RFC 9421 or draft-cavage-12) against the actor's key, fetching
/// the key once more after a failure (rotation); check the key belongs to the activity's actor; store the activity
/// (de-duplicated by id) for the background processor, in groups with the other requests arriving at the same time
/// (<see cref="InboxWriter"/>); the answer comes after the commit. Nothing is processed before it is stored. The actor's domain is
/// judged by the node's current domain policy, so a block added at runtime refuses the very next activity.
/// </summary>
public sealed class InboxReceiver(RemoteActorFetcher actors, IInboxStore inbox, DomainPolicyProvider domains, WorkSignal signal, TimeProvider clock, ILogger<InboxReceiver> log,
    IRepeatedActivityListener? repeated = null)
{
    private readonly TimeProvider _clock = clock;
    private readonly InboxWriter _writer = new(inbox, clock);

    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromHours(1);

    public async Task<InboxResult> ReceiveAsync(SignableHttpMessage message, JsonElement body, CancellationToken ct)
    {
        if (!IncomingActivity.TryRead(body, out var activity, out var error) || activity is null)
            return new(InboxVerdict.BadRequest, error ?? "not an activity");
        if (activity.Id is null) return new(InboxVerdict.BadRequest, "the activity has no id");
        if (!Uri.TryCreate(activity.ActorId, UriKind.Absolute, out var actorUri)) return new(InboxVerdict.BadRequest, "the actor is not a URL");
        if (!domains.Current.IsAllowed(actorUri)) return new(InboxVerdict.Forbidden, $"{actorUri.Host} is not federated with");
        if (!Uri.TryCreate(activity.Id, UriKind.Absolute, out var idUri) || !string.Equals(idUri.Authority, actorUri.Authority, StringComparison.OrdinalIgnoreCase))
            return new(InboxVerdict.BadRequest, "the activity id is not on the actor's host");

        ResolvedKey? resolved = null;
        var result = await Verify(message, k => resolved = k, ct);
        if (!result.IsValid && result.Failure is SignatureVerificationFailure.BadSignature or SignatureVerificationFailure.UnknownKey
            && result.KeyId is { } keyId && Uri.TryCreate(keyId.Split('#')[0], UriKind.Absolute, out var keyOwner) && actors.Refresh(keyOwner))
        {
            result = await Verify(message, k => resolved = k, ct);
        }
        if (!result.IsValid)
        {
            log.LogInformation("Inbox refused an activity from {Actor}: {Failure} {Detail}", activity.ActorId, result.Failure, result.Detail);
            return new(InboxVerdict.Unauthorized, $"signature: {result.Failure}");
        }
        if (resolved is null || resolved.Owner.ToString() != activity.ActorId)
            return new(InboxVerdict.Unauthorized, "the signing key does not belong to the activity's actor");

        var stored = await _writer.AddAsync(new InboxEntry { ActivityId = activity.Id, ActorUri = activity.ActorId, Json = body.GetRawText() });
        if (!stored)
        {
            repeated?.OnRepeated(activity);
            return new(InboxVerdict.Duplicate, "already received");
        }
        signal.Inbox.Set();
        return new(InboxVerdict.Accepted, "stored");
    }

    private Task<SignatureVerificationResult> Verify(SignableHttpMessage message, Action<ResolvedKey> onResolved, CancellationToken ct)
    {
        var verifier = new HttpSignatureVerifier(async (keyId, token) =>
        {
            var key = await actors.ResolveKeyOrNullAsync(keyId, token);
            if (key is not null) onResolved(key);
            return key?.Key;
        }, _clock, new HttpSignatureVerifierOptions { MaxClockSkew = MaxClockSkew });
        return verifier.VerifyAsync(message, ct);
    }
}
