using Commons.Federation.ActivityStreams;
using Commons.Federation.Exchanges;

namespace Commons.Federation.Inbox;

/// <summary><c>Offer{commons:Request}</c>: a peer asks one of our datasets to act (spec §11); see <see cref="IncomingRequests"/>.</summary>
public sealed class RequestHandler(IncomingRequests requests) : IActivityHandler
{
    public IReadOnlyList<ActivityKey> Handles { get; } = [new("Offer", ActivityStreamsContext.Request)];

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) => requests.ReceiveAsync(activity, ct);
}
