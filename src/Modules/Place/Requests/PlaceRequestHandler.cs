using Commons.Core.Errors;
using Commons.Core.Exchanges;
using Commons.Modules.Place.Kinds;

namespace Commons.Modules.Place.Requests;

/// <summary>
/// What every request to a resources dataset shares: only a peer the dataset admits (<see cref="PeerAdmission"/>) may
/// ask, and a rule's refusal is an answer, not a failure — its code goes back as the API would give it.
/// </summary>
public abstract class PlaceRequestHandler(PeerAdmission admission) : IRequestHandler
{
    public string Kind => ResourcesKind.KindName;
    public abstract string RequestType { get; }

    public async Task<RequestDecision> DecideAsync(IncomingRequest request, CancellationToken ct)
    {
        if (!admission.Admits(request))
            return RequestDecision.Refuse(PlaceCodes.NotAllowed, $"{request.RequesterHost} does not follow '{request.Dataset.Slug}'");
        RequestDecision decision;
        try { decision = Decide(request); }
        catch (CommonsException e) { return RequestDecision.Refuse(e.Code, e.Detail); }
        await AfterAsync(decision, ct);
        return decision;
    }

    /// <summary>The decision for an admitted peer.</summary>
    protected abstract RequestDecision Decide(IncomingRequest request);

    /// <summary>What follows a decision once it is written (a bill for a confirmed booking); it cannot change the answer.</summary>
    protected virtual Task AfterAsync(RequestDecision decision, CancellationToken ct) => Task.CompletedTask;
}
