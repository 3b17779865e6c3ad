using Commons.Federation.ActivityStreams;
using Commons.Federation.Exchanges;

namespace Commons.Federation.Inbox;

/// <summary>
/// <c>Accept{commons:Request}</c>, <c>Reject{commons:Request}</c>, <c>TentativeAccept{commons:Request}</c>: a remote
/// dataset answers a request of ours; see <see cref="ExchangeAnswers"/>.
/// </summary>
public sealed class RequestAnswerHandler(ExchangeAnswers answers) : IActivityHandler
{
    public IReadOnlyList<ActivityKey> Handles { get; } =
        [.. new[] { "Accept", "Reject", "TentativeAccept" }.Select(type => new ActivityKey(type, ActivityStreamsContext.Request))];

    public Task<string> HandleAsync(InboxActivity activity, CancellationToken ct) => answers.ReceiveAsync(activity, ct);
}
